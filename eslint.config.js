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
      "test/fixtures/broken/**",
      // Check fixtures: LWC .js as the platform compiler sees it (decorators, not linted here).
      "test/fixtures/**/lwc/**/*.js"
    ]
  },
  // LWC sources: Salesforce's LWC rules for TypeScript (parsed with typescript-eslint, below).
  ...lwcConfig.map((config) => ({
    ...config,
    files: ["force-app/**/lwc/**/*.ts"]
  })),
  {
    files: ["force-app/**/lwc/**/*.ts"],
    // typescript-eslint's parser instead of Babel's: Babel's scope analysis reports interface members
    // such as `name: string` as uses of restricted globals (no-restricted-globals).
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { sourceType: "module", ecmaVersion: "latest" }
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      // TypeScript checks these itself, with types.
      "no-undef": "off",
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": "error"
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
    files: [
      "scripts/**/*.ts",
      "test/**/*.ts",
      "preview/**/*.ts",
      "types/**/*.ts"
    ]
  })),
  {
    files: [
      "scripts/**/*.ts",
      "test/**/*.ts",
      "preview/**/*.ts",
      "types/**/*.ts"
    ],
    languageOptions: { globals: { ...globals.node } }
  }
];
