/**
 * Test helper: jest.mock factories for the checklist's Apex imports. `jest.mock` calls stay in
 * each test file (jest hoists them there); their factories come from here:
 *   jest.mock("@salesforce/apex/StageGateController.getRelatedCounts", () => require("./apexMocks").wiredApexMock(), { virtual: true });
 */

/** A wired Apex method: a test wire adapter whose emit/error drive the component. */
export function wiredApexMock(): { default: unknown } {
  const { createApexTestWireAdapter } = require("@salesforce/sfdx-lwc-jest");
  return { default: createApexTestWireAdapter(jest.fn()) };
}

/** An Apex method called imperatively: a jest mock function. */
export function calledApexMock(): { default: jest.Mock } {
  return { default: jest.fn() };
}

/** `@salesforce/apex`: refreshApex resolves at once. */
export function refreshApexMock(): { refreshApex: jest.Mock } {
  return { refreshApex: jest.fn(() => Promise.resolve()) };
}
