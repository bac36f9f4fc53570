/**
 * Browser tests of waivers in the local preview: a rep requests a waiver from the real
 * checklist, the deal owner's manager (the header's manager toggle logs in as them) approves,
 * rejects or revokes it, and the in-memory org's enforcement follows, as the org's waiver rules
 * (StageGateWaiverRules) and StageGateWaiverSync do. Every test fails on any console error or
 * uncaught exception of the page.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Locator, Page } from "playwright-core";
import definition from "../../force-app/main/default/lwc/stageGateDefinition/stageGateDefinition";
import {
  addDays,
  allCriteria,
  criterionMessage,
  type RuntimeCriterion
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { SEED_MANAGER, SEED_USER } from "../lib/seed";
import {
  checklist,
  exitCriterion,
  expectStatus,
  label,
  launchBrowser,
  openDeal,
  openPreview,
  saveStage,
  startPreview,
  TIMEOUT,
  type PreviewPage,
  type PreviewSite
} from "./harness";
import type { Browser } from "../lib/browser";

const NOT_MET = label("StageGate_StatusUnmet");
const WAIVED = label("StageGate_StatusWaived");
const REP = SEED_USER.name;
const MANAGER = SEED_MANAGER.name;
/** The base components' locale in the preview (lightning-base-components' @salesforce/i18n/locale). */
const LOCALE = "en-US";

function criterion(id: string): RuntimeCriterion {
  const found = allCriteria(definition).find((c) => c.id === id);
  if (!found) {
    throw new Error(`No criterion ${id} in the generated map`);
  }
  return found;
}

/**
 * A save the org blocks on this one criterion alone: its validation rule's message, and no other.
 */
async function expectBlockedBy(page: Page, id: string): Promise<void> {
  const shown = page.locator("[data-id=save-error-message]");
  const message = criterionMessage(criterion(id));
  await shown.filter({ hasText: message }).first().waitFor();
  assert.deepEqual(
    (await shown.allInnerTexts()).map((t) => t.trim()),
    [message]
  );
}

/** A day as the checklist shows it (medium date, the user's locale). */
function shownDate(isoDate: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    dateStyle: "medium",
    timeZone: "UTC"
  }).format(new Date(`${isoDate}T00:00:00Z`));
}

let site: PreviewSite;
let browser: Browser;
const pages: PreviewPage[] = [];

async function open(): Promise<PreviewPage> {
  const p = await openPreview(browser, site.url);
  pages.push(p);
  return p;
}

function assertNoPageErrors(p: PreviewPage): void {
  assert.deepEqual(p.problems(), [], "the page logged errors");
}

/**
 * Requests a waiver on a criterion row as a rep does (reason, until: `days` after today);
 * returns the last day as ISO date.
 */
async function requestWaiver(
  row: Locator,
  reason: string,
  days: number
): Promise<string> {
  await row.locator("[data-id=request-waiver] button").click();
  const form = row.locator("[data-id=waiver-form]");
  await form.waitFor();
  await form.locator("textarea[data-id=waiver-reason]").fill(reason);
  const until = form.locator("input[type=date][data-id=waiver-until]");
  // The form's first day is today in the user's time zone, as the org's rule counts it.
  const today = await until.getAttribute("min");
  assert.ok(today, "the date input has a first day");
  const last = addDays(today, days);
  // A native date input takes its ISO value, whatever the browser's display format.
  await until.fill(last);
  assert.equal(await until.inputValue(), last);
  await form.locator("[data-id=waiver-submit] button").click();
  await form.waitFor({ state: "detached" });
  return last;
}

async function expectWaiverNote(row: Locator, text: string): Promise<void> {
  await row
    .locator("[data-id=waiver-note]")
    .filter({ hasText: text })
    .waitFor();
  assert.equal(
    (await row.locator("[data-id=waiver-note]").innerText()).trim(),
    text
  );
}

/**
 * Logs in as the manager (on) or back as the rep (off) with the header's toggle: the page
 * reloads on the same deal, the org keeps its data.
 */
async function loginAsManager(
  page: Page,
  on: boolean,
  stage: string
): Promise<void> {
  const toggle = page.locator("[data-id=manager-toggle]");
  assert.equal(
    await toggle.locator("input").isChecked(),
    !on,
    "the toggle shows who is logged in"
  );
  await toggle.locator("label").first().click();
  await page.waitForURL(
    on ? /[?&]manager=1/ : (url) => !/[?&]manager=1/.test(url.search),
    {
      timeout: TIMEOUT
    }
  );
  await page
    .locator(".slds-page-header", { hasText: on ? MANAGER : REP })
    .waitFor();
  await checklist(page)
    .locator("[data-id=stage] dd")
    .first()
    .filter({ hasText: stage })
    .waitFor();
  assert.equal(await toggle.locator("input").isChecked(), on);
}

/** The manager's row for the deal's latest waiver of a criterion, once it has that status. */
function request(page: Page, id: string, status: string): Locator {
  return page
    .locator(
      `[data-id=waiver-requests] [data-id=waiver-request][data-criterion="${id}"][data-status="${status}"]`
    )
    .first();
}

describe("waivers in the local preview", { timeout: 600_000 }, () => {
  before(async () => {
    site = await startPreview();
    browser = await launchBrowser();
  });

  after(async () => {
    await Promise.all(pages.map((p) => p.page.close()));
    await browser?.close();
    await site?.close();
  });

  test("a rep requests a waiver, the manager approves it: the criterion is waived and the move it blocked goes through", async () => {
    const p = await open();
    const { page } = p;
    await openDeal(
      page,
      "Acme — Needs Analysis (in progress: budget not confirmed)",
      "Needs Analysis"
    );
    const budget = exitCriterion(page, "budget_confirmed");
    await expectStatus(budget, NOT_MET);

    // The rep asks: the request is pending, and the criterion still blocks.
    const reason = "The CFO confirmed the budget on the call; the form follows";
    const until = await requestWaiver(budget, reason, 30);
    await page
      .locator("[data-id=toast-title]", {
        hasText: label("StageGate_WaiverRequested")
      })
      .waitFor();
    await expectWaiverNote(
      budget,
      label("StageGate_WaiverPending", REP, shownDate(until), reason)
    );
    await expectStatus(budget, NOT_MET);
    assert.equal(
      await budget.locator("[data-id=request-waiver]").count(),
      0,
      "no second request while one is pending"
    );
    await saveStage(page, "Value Proposition");
    await expectBlockedBy(page, "budget_confirmed");

    // The rep has no way to decide: the requests and their buttons are the approver's.
    assert.equal(await page.locator("[data-id=waiver-requests]").count(), 0);
    assert.equal(await page.locator("[data-id=approve]").count(), 0);

    // The manager sees the request and approves it.
    await loginAsManager(page, true, "Needs Analysis");
    const pending = request(page, "budget_confirmed", "Requested");
    await pending.waitFor();
    assert.match(
      await pending.locator("[data-id=waiver-summary]").innerText(),
      new RegExp(`requested by ${REP} · until ${until} · ${reason}`)
    );
    await pending.locator("[data-id=approve] button").click();
    const approved = request(page, "budget_confirmed", "Approved");
    await approved.waitFor();
    assert.match(
      await approved.locator("[data-id=waiver-summary]").innerText(),
      new RegExp(`decided by ${MANAGER}`)
    );
    assert.equal(await approved.locator("[data-id=revoke]").count(), 1);

    // Back as the rep: waived by whom, until when, why; the move goes through.
    await loginAsManager(page, false, "Needs Analysis");
    await expectStatus(budget, WAIVED);
    await expectWaiverNote(
      budget,
      label("StageGate_WaivedBy", MANAGER, shownDate(until), reason)
    );
    await checklist(page)
      .locator("[data-id=ready]", {
        hasText: label("StageGate_Ready", "Value Proposition")
      })
      .waitFor();
    await saveStage(page, "Value Proposition");
    await page
      .locator("[data-id=toast-title]", { hasText: "was saved" })
      .waitFor();
    await checklist(page)
      .locator("[data-id=stage] dd", { hasText: "Value Proposition" })
      .waitFor();
    assert.equal(
      (await page.locator('[data-field="StageName"]').innerText()).trim(),
      "Value Proposition"
    );
    assert.equal(await page.locator("[data-id=save-error-message]").count(), 0);
    assertNoPageErrors(p);
  });

  test("the manager rejects a request: the rep sees it rejected, the criterion blocks and can be asked again", async () => {
    const p = await open();
    const { page } = p;
    await openDeal(
      page,
      "Initech — Qualification (in progress: next step is TBD)",
      "Qualification"
    );
    const nextStep = exitCriterion(page, "next_step");
    await expectStatus(nextStep, NOT_MET);
    const reason =
      "The next step is agreed in the steering committee on Friday";
    const until = await requestWaiver(nextStep, reason, 7);
    await expectWaiverNote(
      nextStep,
      label("StageGate_WaiverPending", REP, shownDate(until), reason)
    );

    await loginAsManager(page, true, "Qualification");
    await request(page, "next_step", "Requested")
      .locator("[data-id=reject] button")
      .click();
    const rejected = request(page, "next_step", "Rejected");
    await rejected.waitFor();
    assert.equal(
      await rejected.locator("button").count(),
      0,
      "nothing left to decide"
    );

    await loginAsManager(page, false, "Qualification");
    await expectWaiverNote(
      nextStep,
      label("StageGate_WaiverRejected", MANAGER)
    );
    await expectStatus(nextStep, NOT_MET);
    await nextStep.locator("[data-id=request-waiver] button").waitFor();
    await saveStage(page, "Needs Analysis");
    await expectBlockedBy(page, "next_step");
    assert.equal(
      (await page.locator('[data-field="StageName"]').innerText()).trim(),
      "Qualification"
    );
    assertNoPageErrors(p);
  });

  test("the manager revokes an approved waiver: the rep sees it revoked and the criterion blocks again", async () => {
    const p = await open();
    const { page } = p;
    await openDeal(
      page,
      "Acme — Needs Analysis (in progress: budget not confirmed)",
      "Needs Analysis"
    );
    const budget = exitCriterion(page, "budget_confirmed");
    const reason = "Budget approved by the board, minutes pending";
    const until = await requestWaiver(budget, reason, 14);

    await loginAsManager(page, true, "Needs Analysis");
    await request(page, "budget_confirmed", "Requested")
      .locator("[data-id=approve] button")
      .click();
    await request(page, "budget_confirmed", "Approved").waitFor();

    await loginAsManager(page, false, "Needs Analysis");
    await expectStatus(budget, WAIVED);
    await expectWaiverNote(
      budget,
      label("StageGate_WaivedBy", MANAGER, shownDate(until), reason)
    );

    await loginAsManager(page, true, "Needs Analysis");
    await request(page, "budget_confirmed", "Approved")
      .locator("[data-id=revoke] button")
      .click();
    await request(page, "budget_confirmed", "Revoked").waitFor();

    await loginAsManager(page, false, "Needs Analysis");
    await expectWaiverNote(budget, label("StageGate_WaiverRevoked", MANAGER));
    await expectStatus(budget, NOT_MET);
    await checklist(page)
      .locator("[data-id=ready]", {
        hasText: label("StageGate_NotReady", "Value Proposition")
      })
      .waitFor();
    await saveStage(page, "Value Proposition");
    await expectBlockedBy(page, "budget_confirmed");
    assert.equal(
      (await page.locator('[data-field="StageName"]').innerText()).trim(),
      "Needs Analysis"
    );
    assertNoPageErrors(p);
  });

  test("nobody decides their own request: the manager's own request is refused with the rules' message", async () => {
    const p = await open();
    const { page } = p;
    await openDeal(
      page,
      "Initech — Qualification (in progress: next step is TBD)",
      "Qualification"
    );
    await loginAsManager(page, true, "Qualification");
    const nextStep = exitCriterion(page, "next_step");
    const reason = "Asked by the manager on the rep's behalf";
    const until = await requestWaiver(nextStep, reason, 10);
    await expectWaiverNote(
      nextStep,
      label("StageGate_WaiverPending", MANAGER, shownDate(until), reason)
    );
    const own = request(page, "next_step", "Requested");
    await own.waitFor();
    assert.match(
      await own.locator("[data-id=waiver-summary]").innerText(),
      new RegExp(`requested by ${MANAGER}`)
    );
    for (const decision of ["approve", "reject"]) {
      await own.locator(`[data-id=${decision}] button`).click();
      await page
        .locator("[data-id=waiver-decision-error]", {
          hasText: label("StageGate_WaiverSelfDecision")
        })
        .waitFor();
      await own.waitFor();
    }
    assert.equal(
      await page
        .locator("[data-id=waiver-requests] [data-id=waiver-request]")
        .count(),
      1
    );
    await expectStatus(nextStep, NOT_MET);
    await expectWaiverNote(
      nextStep,
      label("StageGate_WaiverPending", MANAGER, shownDate(until), reason)
    );
    assertNoPageErrors(p);
  });
});
