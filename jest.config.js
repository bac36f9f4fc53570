const { jestConfig } = require("@salesforce/sfdx-lwc-jest/config");

module.exports = {
  projects: [
    {
      ...jestConfig,
      displayName: "lwc",
      roots: ["<rootDir>/force-app"],
      moduleFileExtensions: ["ts", "js", "html", "json"],
      testMatch: ["**/__tests__/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/jest-lwc-setup.ts"]
    },
    {
      displayName: "node",
      testEnvironment: "node",
      roots: ["<rootDir>/scripts", "<rootDir>/test"],
      // .ts before .js: an import of an LWC module must find its TypeScript source, not the
      // compiled ES module beside it (which this project's transform does not handle).
      moduleFileExtensions: ["ts", "js", "json", "node"],
      testMatch: ["**/*.test.ts"],
      // stream-json and stream-chain ship ES modules only: Babel turns them into CommonJS for jest.
      transformIgnorePatterns: [
        "/node_modules/(?!(stream-json|stream-chain)/)"
      ],
      transform: {
        "^.+\\.(ts|js)$": [
          "babel-jest",
          {
            presets: [
              ["@babel/preset-env", { targets: { node: "current" } }],
              "@babel/preset-typescript"
            ]
          }
        ]
      }
    }
  ]
};
