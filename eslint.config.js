const lwcConfig = require("@salesforce/eslint-config-lwc/recommended-ts");
const jestPlugin = require("eslint-plugin-jest");
const tseslint = require("typescript-eslint");
const globals = require("globals");

module.exports = [
  {
    ignores: [
      "node_modules/**",
      "coverage/**",
      "force-app/**/lwc/**/*.js",
      "preview/dist/**",
      "test/fixtures/broken/**"
    ]
  },
  // LWC sources: Salesforce's LWC rules for TypeScript (Babel parser).
  ...lwcConfig.map((config) => ({
    ...config,
    files: ["force-app/**/lwc/**/*.ts"]
  })),
  {
    files: ["force-app/**/lwc/**/*.ts"],
    rules: {
      // TypeScript checks these itself, with types.
      "no-undef": "off",
      "no-unused-vars": "off"
    }
  },
  {
    files: ["**/__tests__/**/*.ts"],
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      ...jestPlugin.configs["flat/recommended"].rules,
      "@lwc/lwc/no-unexpected-wire-adapter-usages": "off"
    }
  },
  // Node tooling and preview.
  ...tseslint.configs.recommended.map((config) => ({
    ...config,
    files: ["scripts/**/*.ts", "test/**/*.ts", "preview/**/*.ts"]
  })),
  {
    files: ["scripts/**/*.ts", "test/**/*.ts", "preview/**/*.ts"],
    languageOptions: { globals: { ...globals.node } }
  }
];
