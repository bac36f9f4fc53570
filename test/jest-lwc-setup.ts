import { registerSa11yMatcher } from "@sa11y/jest";

// Adds expect(...).toBeAccessible() to every LWC test.
registerSa11yMatcher();
