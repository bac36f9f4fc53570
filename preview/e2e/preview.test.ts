/**
 * Browser tests of the local preview: the real checklist component against the
 * in-memory org, in headless Chromium. Every test fails on any console error or
 * uncaught exception of the page.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import definition from "../../force-app/main/default/lwc/stageGateDefinition/stageGateDefinition";
import {
  allCriteria,
  criterionMessage,
  orgErrors,
  type RuntimeCriterion
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { FORCE_APP } from "../lib/paths";
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

const MET = label("StageGate_StatusMet");
const NOT_MET = label("StageGate_StatusUnmet");

function criterion(id: string): RuntimeCriterion {
  const found = allCriteria(definition).find((c) => c.id === id);
  if (!found) {
    throw new Error(`No criterion ${id} in the generated map`);
  }
  return found;
}

/** The error message of the generated validation rule of a field criterion, as the org shows it. */
function validationRuleMessage(id: string): string {
  const dir = path.join(FORCE_APP, "objects", "Opportunity", "validationRules");
  const parser = new XMLParser();
  for (const file of fs.readdirSync(dir)) {
    const rule = parser.parse(fs.readFileSync(path.join(dir, file), "utf8"))
      .ValidationRule as {
      description: string;
      errorMessage: string;
    };
    if (rule.description.includes(`(criterion ${id},`)) {
      return rule.errorMessage;
    }
  }
  throw new Error(`No generated validation rule for criterion ${id}`);
}

let site: PreviewSite;
let browser: Browser;
const pages: PreviewPage[] = [];

async function open(query = ""): Promise<PreviewPage> {
  const p = await openPreview(browser, site.url, query);
  pages.push(p);
  return p;
}

function assertNoPageErrors(p: PreviewPage): void {
  assert.deepEqual(p.problems(), [], "the page logged errors");
}

describe("local preview in Chromium", { timeout: 600_000 }, () => {
  before(async () => {
    site = await startPreview();
    browser = await launchBrowser();
  });

  after(async () => {
    await Promise.all(pages.map((p) => p.page.close()));
    await browser?.close();
    await site?.close();
  });

  test("opens on an open deal whose gate is not met, not on a closed one", async () => {
    const p = await open();
    const { page } = p;
    const chosen = await page
      .locator("[data-id=deal-picker] select option:checked")
      .textContent();
    assert.ok(chosen, "a deal is selected");
    assert.doesNotMatch(chosen, /Closed (Won|Lost)/, "not a closed deal");
    // Its gate is not met: "Not ready for …" once the counts are in, and a criterion not met.
    await checklist(page)
      .locator("[data-id=ready]", {
        hasText: label("StageGate_NotReady", "").trim()
      })
      .waitFor();
    await checklist(page)
      .locator("[data-id=checklist] c-stage-gate-criterion [data-id=status]", {
        hasText: NOT_MET
      })
      .first()
      .waitFor();
    assertNoPageErrors(p);
  });

  test("checklist of a failing deal, fix a criterion, move the stage, a blocked move, switch deals", async () => {
    const p = await open();
    const { page } = p;

    // A deal that fails its gate: Next Step is "TBD", a placeholder.
    await openDeal(
      page,
      "Initech — Qualification (in progress: next step is TBD)",
      "Qualification"
    );
    const nextStep = exitCriterion(page, "next_step");
    await expectStatus(nextStep, NOT_MET);
    await checklist(page)
      .locator("[data-id=ready]", {
        hasText: label("StageGate_NotReady", "Needs Analysis")
      })
      .waitFor();

    // Fix it inline: the record edit form saves through the org's rules.
    await nextStep.locator("[data-id=edit] button").click();
    await nextStep
      .locator("[data-id=input] input")
      .fill("Discovery workshop with IT on 12 May");
    await nextStep.locator("[data-id=save] button").click();
    await expectStatus(nextStep, MET);
    await checklist(page)
      .locator("[data-id=ready]", {
        hasText: label("StageGate_Ready", "Needs Analysis")
      })
      .waitFor();
    await page
      .locator("[data-id=toast-title]", { hasText: label("StageGate_Saved") })
      .waitFor();
    await page
      .locator('[data-field="NextStep"]', {
        hasText: "Discovery workshop with IT on 12 May"
      })
      .waitFor();

    // Move the stage: allowed, and the checklist follows the record.
    await saveStage(page, "Needs Analysis");
    await page
      .locator("[data-id=toast-title]", { hasText: "was saved" })
      .waitFor();
    await checklist(page)
      .locator("[data-id=stage] dd", { hasText: "Needs Analysis" })
      .waitFor();
    for (const id of ["pain_points", "budget_confirmed", "decision_maker"]) {
      await expectStatus(exitCriterion(page, id), NOT_MET);
    }

    // A blocked move: the org's message, exactly.
    await saveStage(page, "Value Proposition");
    const shown = page.locator("[data-id=save-error-message]");
    await shown.first().waitFor();
    // One error per validation rule (the field criteria) and the flow's one for the related one.
    const expected = orgErrors(
      {},
      ["pain_points", "budget_confirmed", "decision_maker"].map(criterion)
    ).map((e) => e.message);
    assert.deepEqual(
      (await shown.allInnerTexts()).map((t) => t.trim()),
      expected
    );
    assert.equal(expected.length, 3);
    for (const id of ["pain_points", "budget_confirmed"]) {
      assert.equal(validationRuleMessage(id), criterionMessage(criterion(id)));
    }
    await checklist(page)
      .locator("[data-id=stage] dd", { hasText: "Needs Analysis" })
      .waitFor();
    assert.equal(
      (await page.locator('[data-field="StageName"]').innerText()).trim(),
      "Needs Analysis"
    );

    // A related record added on the page: the checklist refreshes its counts.
    await page
      .locator("[data-id=add-contact-role] lightning-select")
      .nth(1)
      .locator("select")
      .selectOption("Decision Maker");
    await page.locator("[data-id=add-contact-role-button] button").click();
    await expectStatus(exitCriterion(page, "decision_maker"), MET);

    // Switch deals: another process (the Enterprise record type).
    await openDeal(
      page,
      "Globex — Qualification (in progress: no champion named)",
      "Qualification"
    );
    await checklist(page)
      .locator("[data-id=stage] dd", { hasText: "Enterprise" })
      .waitFor();
    await expectStatus(exitCriterion(page, "ent_champion"), NOT_MET);
    assert.equal(await exitCriterion(page, "next_step").count(), 0);

    assertNoPageErrors(p);
  });

  test("move to a stage in one step: the needed field in a form, a blocked save's message, then the move; a conditional criterion says why it applies", async () => {
    const p = await open();
    const { page } = p;
    await openDeal(
      page,
      "Acme — Needs Analysis (in progress: budget not confirmed)",
      "Needs Analysis"
    );
    const card = checklist(page);
    const pickPreview = async (stage: string): Promise<void> => {
      await card.locator("select[data-id=preview-stage]").selectOption(stage);
    };

    await pickPreview("Value Proposition");
    await card
      .locator("[data-id=move-open] button", {
        hasText: label("StageGate_MoveTo", "Value Proposition")
      })
      .click();
    const form = card.locator("[data-id=move-form]");
    await form.waitFor();
    // Only the field the move still needs, pre-filled with the current value.
    const fields = form.locator("[data-id=move-field]");
    assert.deepEqual(
      await fields.evaluateAll((els) =>
        els.map((e) => (e as unknown as { fieldName: string }).fieldName)
      ),
      ["Budget_Confirmed__c"]
    );
    // Found by its label: the field's label names its checkbox (label for / id).
    const checkbox = form
      .locator("[data-id=move-field]")
      .getByRole("checkbox", { name: "Budget Confirmed", exact: true });
    assert.equal(await checkbox.isChecked(), false);

    // Saved as it is, the org still blocks it: its message shows in the form.
    await form.locator("[data-id=move-save] button").click();
    await form
      .locator("[data-id=move-error]", {
        hasText: criterionMessage(criterion("budget_confirmed"))
      })
      .waitFor();
    assert.equal(
      (await page.locator('[data-field="StageName"]').innerText()).trim(),
      "Needs Analysis"
    );

    // Tick the box: the value and the stage are saved together.
    // The SLDS checkbox is drawn over the input: click its label, as a rep does.
    await form.locator("[data-id=move-field] label").first().click();
    assert.equal(await checkbox.isChecked(), true);
    await form.locator("[data-id=move-save] button").click();
    await page
      .locator("[data-id=toast-title]", {
        hasText: label("StageGate_MoveSaved", "Value Proposition")
      })
      .waitFor();
    await card
      .locator("[data-id=stage] dd", { hasText: "Value Proposition" })
      .waitFor();
    assert.equal(
      (await page.locator('[data-field="StageName"]').innerText()).trim(),
      "Value Proposition"
    );
    assert.equal(await card.locator("[data-id=move-form]").count(), 0);

    // Skipping Id. Decision Makers: its conditional criterion applies (Amount 60,000 ≥ 25,000).
    await pickPreview("Perception Analysis");
    await card
      .locator("[data-id=preview-rows] [data-id=applies]", {
        hasText: label("StageGate_AppliesBecause", "Amount ≥ 25,000")
      })
      .waitFor();
    assertNoPageErrors(p);
  });

  test("the bypass permission lets the same blocked move through", async () => {
    const p = await open();
    const { page } = p;
    const deal = "Northwind — Qualification (blocked: no primary contact)";
    await openDeal(page, deal, "Qualification");

    await saveStage(page, "Needs Analysis");
    await page.locator("[data-id=save-error-message]").first().waitFor();
    assert.match(
      await page.locator("[data-id=save-error-message]").innerText(),
      /\[next_step\]/
    );

    // Log in as a user with the bypass permission: the page reloads, the org keeps its data.
    await page.locator("[data-id=bypass-toggle] input").click({ force: true });
    await page.waitForURL(/bypass=1/, { timeout: TIMEOUT });
    await checklist(page)
      .locator("[data-id=stage] dd", { hasText: "Qualification" })
      .waitFor();
    await saveStage(page, "Needs Analysis");
    await page
      .locator("[data-id=toast-title]", { hasText: "was saved" })
      .waitFor();
    await checklist(page)
      .locator("[data-id=stage] dd", { hasText: "Needs Analysis" })
      .waitFor();
    assert.equal(await page.locator("[data-id=save-error-message]").count(), 0);

    assertNoPageErrors(p);
  });

  test("fix actions: upload the missing file, create the missing task", async () => {
    const p = await open();
    const { page } = p;

    await openDeal(
      page,
      "Northwind — Proposal/Price Quote (in progress: proposal not attached)",
      "Proposal/Price Quote"
    );
    const proposal = exitCriterion(page, "proposal_attached");
    await expectStatus(proposal, NOT_MET);
    await proposal.locator("input[type=file]").setInputFiles({
      name: "Proposal.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4 proposal")
    });
    await expectStatus(proposal, MET);
    await page.locator("[data-id=file-row]", { hasText: "Proposal" }).waitFor();

    await openDeal(
      page,
      "Initech — Prospecting (in progress: no discovery call logged)",
      "Prospecting"
    );
    const call = exitCriterion(page, "discovery_call");
    await expectStatus(call, NOT_MET);
    await call.locator("[data-id=create] button").click();
    const modal = page.locator("[data-id=new-record]");
    await modal.waitFor();
    await modal
      .locator('[data-field-name="Subject"] input')
      .fill("Discovery call with Peter");
    await modal.locator("[data-id=new-record-save] button").click();
    await modal.waitFor({ state: "detached" });
    await expectStatus(call, MET);

    assertNoPageErrors(p);
  });
});
