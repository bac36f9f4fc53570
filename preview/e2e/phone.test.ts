/**
 * Browser tests of the checklist and the one-step move on a phone: a 375 × 812 viewport and
 * `@salesforce/client/formFactor` "Small" (the preview's `?formFactor=Small`), as the Salesforce
 * mobile app runs the component. The component and the move form stay inside the screen, the
 * related criteria offer what works in the mobile app instead of the pre-filled "New …" form, and
 * a move is made with the keyboard alone. Every test fails on any console error or uncaught
 * exception of the page.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Locator } from "playwright-core";
import type { Browser } from "../lib/browser";
import {
  checklist,
  exitCriterion,
  label,
  launchBrowser,
  openDeal,
  openPreview,
  startPreview,
  type PreviewPage,
  type PreviewSite
} from "./harness";

const PHONE = { width: 375, height: 812 };

let site: PreviewSite;
let browser: Browser;
const pages: PreviewPage[] = [];

async function openOnPhone(): Promise<PreviewPage> {
  const p = await openPreview(browser, site.url, "?formFactor=Small");
  await p.page.setViewportSize(PHONE);
  pages.push(p);
  return p;
}

/** The element lies within the phone's width (nothing cut off at the right edge). */
async function assertWithinScreen(
  locator: Locator,
  what: string
): Promise<void> {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is not on the page`);
  assert.ok(
    box.x >= 0 && box.x + box.width <= PHONE.width + 0.5,
    `${what} spans x ${box.x.toFixed(1)}–${(box.x + box.width).toFixed(1)}, wider than the ${PHONE.width}px screen`
  );
}

/** Nothing inside the element is wider than the element (no horizontal scrolling). */
async function assertNoOverflow(locator: Locator, what: string): Promise<void> {
  // No named functions inside: the test runner's transpiler would wrap them in a helper the
  // page lacks.
  const overflow = await locator.evaluate((host) => {
    const right = host.getBoundingClientRect().right;
    let widest = 0;
    const stack: Element[] = [host];
    while (stack.length > 0) {
      const node = stack.pop() as Element;
      widest = Math.max(widest, node.getBoundingClientRect().right);
      const root = (node as HTMLElement).shadowRoot;
      if (root) stack.push(...Array.from(root.children));
      stack.push(...Array.from(node.children));
    }
    return widest - right;
  });
  assert.ok(
    overflow <= 0.5,
    `${what}: content sticks out ${overflow.toFixed(1)}px to the right`
  );
}

function assertNoPageErrors(p: PreviewPage): void {
  assert.deepEqual(p.problems(), [], "the page logged errors");
}

describe("the checklist on a phone", { timeout: 600_000 }, () => {
  before(async () => {
    site = await startPreview();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const p of pages) {
      await p.page.close().catch(() => undefined);
    }
    await browser?.close();
    await site?.close();
  });

  test("fits the screen and offers the mobile app's way to add a related record", async () => {
    const p = await openOnPhone();
    const { page } = p;
    await openDeal(
      page,
      "Initech — Prospecting (in progress: no discovery call logged)",
      "Prospecting"
    );
    const card = checklist(page);
    await assertWithinScreen(card, "the checklist");
    await assertNoOverflow(card, "the checklist");

    // The pre-filled "New …" action needs lightning/pageReferenceUtils, which the mobile app
    // lacks: the row says how to add the record there instead.
    const call = exitCriterion(page, "discovery_call");
    const hint = call.locator("[data-id=mobile-hint]");
    await hint.waitFor();
    assert.notEqual((await hint.innerText()).trim(), "");
    assert.equal(await call.locator("[data-id=create]").count(), 0);
    assertNoPageErrors(p);
  });

  test("Move to stage on a phone, with the keyboard alone: the form fits, a blocked save shows its message, then the move", async () => {
    const p = await openOnPhone();
    const { page } = p;
    await openDeal(
      page,
      "Acme — Needs Analysis (in progress: budget not confirmed)",
      "Needs Analysis"
    );
    const card = checklist(page);
    await card
      .locator("select[data-id=preview-stage]")
      .selectOption("Value Proposition");
    const open = card.locator("[data-id=move-open] button", {
      hasText: label("StageGate_MoveTo", "Value Proposition")
    });
    await open.focus();
    await page.keyboard.press("Enter");
    const form = card.locator("[data-id=move-form]");
    await form.waitFor();
    await assertWithinScreen(form, "the move form");
    await assertNoOverflow(form, "the move form");
    const save = form.locator("[data-id=move-save] button");
    await assertWithinScreen(save, "the move's save button");

    // Saved unchanged, the org blocks it: the message shows in the form, on the screen.
    await save.focus();
    await page.keyboard.press("Enter");
    const error = form.locator("[data-id=move-error]", {
      hasText: "[budget_confirmed]"
    });
    await error.waitFor();
    await assertWithinScreen(error, "the blocked save's message");

    // Tick the field with the space bar, save with Enter: value and stage in one save.
    const checkbox = form.locator("[data-id=move-field] input[type=checkbox]");
    await checkbox.focus();
    await page.keyboard.press("Space");
    assert.equal(await checkbox.isChecked(), true);
    await save.focus();
    await page.keyboard.press("Enter");
    await page
      .locator("[data-id=toast-title]", {
        hasText: label("StageGate_MoveSaved", "Value Proposition")
      })
      .waitFor();
    await card
      .locator("[data-id=stage] dd", { hasText: "Value Proposition" })
      .waitFor();
    assertNoPageErrors(p);
  });
});
