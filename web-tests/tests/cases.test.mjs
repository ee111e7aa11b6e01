// Repatriation in a real browser: the board by stage (an unaccompanied children's case
// flagged), a case page (children flagged, a disputed authorship shown from both sides, a
// document recorded and the case moved through its forms; a stated wish, a legal record,
// an evidence item and two disputing authorship claims recorded through its forms, a
// refused form shown again filled in; a member staying behind), a consul scoped to BE who
// sees no other country's case and is refused (404) on its page and every one of its
// forms, and a tracing task assigned from the Unaccounted-for list. Every page is checked
// with axe-core, screenshotted, and its first-load size measured (under 200 KB).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Site, accessible, shot, firstLoadBytes, OUT } from "./harness.mjs";

const LIMIT = 200 * 1024;
let site, admin, tracer, consul;
let cases; // every case, as the operator lists them
let disputed; // a case with a disputed authorship
let flagged; // a case with a flagged child
let belgian; // the consul's case

before(async () => {
  site = await Site.start();
  cases = JSON.parse(site.run("case", "list", "--json"));
  assert.ok(cases.length >= 10, "the demo opens cases");
  const full = cases.map((c) => JSON.parse(site.run("case", "show", c.case_id, "--json")));
  disputed = full.find((c) => (c.evidence || []).some((e) => e.authorship_disputed));
  flagged = full.find((c) => c.members.some((m) => m.flags.length > 0));
  belgian = full.find((c) => c.country === "BE" && c.stage === "identified");
  assert.ok(disputed && flagged && belgian, "the demo has a disputed post, a flagged child and a Belgian case");
  admin = await site.signedIn("admin1");
  tracer = await site.signedIn("tracer");
  consul = await site.signedIn("consul.be");
});

after(async () => {
  if (site) {
    writeFileSync(join(OUT, "bytes-cases.json"), JSON.stringify(site.bytes, null, 2));
    console.log("first-load bytes per page:\n" + Object.entries(site.bytes).map(([k, v]) => `  ${k}: ${v}`).join("\n"));
    await site.stop();
  }
});

async function measure(name, page, path) {
  const bytes = await firstLoadBytes(site, page, path);
  site.bytes[name] = bytes;
  assert.ok(bytes < LIMIT, `${name} is ${bytes} bytes on first load (limit ${LIMIT})`);
}

test("the repatriation board shows cases by stage per country, with days in each stage", async () => {
  const res = await admin.goto(site.base + "/cases?as_of=2019-12-31");
  assert.equal(res.status(), 200);
  const countries = new Set(cases.map((c) => c.country));
  for (const c of countries) {
    await admin.locator(`#country-${c}`).waitFor();
  }
  // Every case is on the board, linked, with its current stage marked.
  for (const c of cases) {
    assert.equal(await admin.locator(`a[href="/case/${c.case_id}"]`).count(), 1, c.case_id);
  }
  assert.ok((await admin.locator("td.current").count()) >= cases.length);
  // The children who went home without their mother have a case of their own.
  assert.equal(cases.filter((c) => c.unaccompanied).length, 1);
  assert.equal(await admin.locator("span.flag.unaccompanied").count(), 1);
  await accessible(admin, assert, "repatriation board");
  await shot(admin, "repatriation-board");
  await measure("repatriation board", admin, "/cases?as_of=2019-12-31");
});

test("a case page shows flagged children and a disputed authorship from both sides", async () => {
  await admin.goto(site.base + "/case/" + disputed.case_id);
  const evidence = admin.locator("#evidence");
  await evidence.waitFor();
  assert.match(await evidence.textContent(), /Authorship disputed/);
  const rows = evidence.locator("table.authorship tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /B2/);
  assert.match(await rows.nth(1).textContent(), /her husband.*C3/s);
  assert.ok((await admin.locator("#documents tr.missing").count()) >= 0);
  await accessible(admin, assert, "case with disputed evidence");
  await shot(admin, "case-disputed-authorship");
  await measure("case", admin, "/case/" + disputed.case_id);

  await admin.goto(site.base + "/case/" + flagged.case_id);
  assert.match(await admin.textContent("#members"), /⚑/);
  await shot(admin, "case-flagged-child");
});

test("a consul records a document and moves its case, and sees no other country's case", async () => {
  await consul.goto(site.base + "/cases");
  assert.equal(await consul.locator("section[aria-labelledby^=country-]").count(), 1);
  await consul.locator("#country-BE").waitFor();
  for (const c of cases.filter((c) => c.country !== "BE")) {
    assert.equal(await consul.locator(`a[href="/case/${c.case_id}"]`).count(), 0);
    assert.equal((await consul.goto(site.base + "/case/" + c.case_id)).status(), 404);
  }
  await consul.goto(site.base + "/cases");
  await accessible(consul, assert, "consul board");
  await shot(consul, "consul-board");

  await consul.goto(site.base + "/case/" + belgian.case_id);
  assert.equal(belgian.stage, "identified");
  // Moving on before the nationality proof is refused, saying what is missing.
  await consul.selectOption("#stage", "nationality_verified");
  await consul.click("button:has-text('Move the case')");
  await consul.waitForSelector("#case-error");
  assert.match(await consul.textContent("#case-error"), /needs a nationality_proof/);
  await accessible(consul, assert, "case with a refused move");
  await shot(consul, "case-move-refused");
  await consul.selectOption("#doc-kind", "nationality_proof");
  await consul.fill("#doc-hash", "ab".repeat(32));
  await consul.click("button:has-text('Record the document')");
  await consul.waitForSelector("#case-done");
  await consul.selectOption("#stage", "nationality_verified");
  await consul.click("button:has-text('Move the case')");
  await consul.waitForSelector("#case-done");
  assert.match(await consul.textContent("#case-stage"), /nationality verified/);
  await accessible(consul, assert, "case moved");
  await shot(consul, "case-moved");
});

test("a consul records a wish, a legal record and evidence whose authorship is disputed", async () => {
  const page = consul;
  await page.goto(site.base + "/case/" + belgian.case_id);
  const submit = async (button) => {
    await Promise.all([page.waitForURL(/done=/), page.click(`button:has-text('${button}')`)]);
    await page.locator("#case-done").waitFor();
  };
  // Her own wish, in her own words, with the report it comes from.
  await page.selectOption("#wish-wish", "trial_at_home");
  await page.fill("#wish-country", "BE");
  await page.fill("#wish-grade", "B2");
  await page.fill("#wish-content", "تطلب أن تحاكم في بلجيكا");
  await page.fill("#wish-source", "her lawyer, interview in the camp");
  await submit("Record the wish");
  assert.match(await page.textContent("#wishes"), /wishes trial at home.*BE.*B2/s);

  // A sentence without its authority is refused, the form shown again as it was sent.
  await page.selectOption("#legal-kind", "sentence");
  await page.fill("#legal-sentence", "five years");
  await page.fill("#legal-grade", "A1");
  await page.fill("#legal-content", "Judgment of the criminal court");
  await page.click("button:has-text('Record the legal record')");
  await page.locator("#case-error").waitFor();
  assert.match(await page.textContent("#case-error"), /a sentence record needs the authority/);
  assert.equal(await page.inputValue("#legal-content"), "Judgment of the criminal court");
  assert.equal(await page.inputValue("#legal-kind"), "sentence");
  await accessible(page, assert, "case with a refused legal record");
  await page.fill("#legal-authority", "Criminal court, Brussels");
  await submit("Record the legal record");
  assert.match(await page.textContent("#legal"), /sentenced by Criminal court, Brussels: five years.*A1/s);

  // An evidence item by hash, then two reports naming different authors.
  await page.selectOption("#ev-kind", "social_media_post");
  await page.fill("#ev-hash", "cd".repeat(32));
  await page.fill("#ev-description", "post of March 2018 on an account in her name");
  await page.fill("#ev-captured-at", "2019-10-20T10:30");
  await page.fill("#ev-captured-by", "open-source analysis unit");
  await submit("Keep the item");
  const item = page.locator("#au-evidence option", { hasText: "post of March 2018" });
  const evidence = await item.getAttribute("value");
  await page.selectOption("#au-evidence", evidence);
  await page.selectOption("#au-author", { index: 1 });
  await page.fill("#authorship-grade", "B2");
  await page.fill("#authorship-content", "The account is registered in her name.");
  await submit("Record who made it");
  await page.selectOption("#au-evidence", evidence);
  await page.fill("#au-described", "her husband");
  await page.fill("#au-note", "posted on her account by her husband");
  await page.selectOption("#authorship-channel", "interview");
  await page.fill("#authorship-grade", "C3");
  await page.fill("#authorship-content", "تقول إن زوجها نشره");
  await submit("Record who made it");
  const post = page.locator("article.evidence", { hasText: "post of March 2018" });
  assert.match(await post.textContent(), /Authorship disputed/);
  const rows = post.locator("table.authorship tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /B2/);
  assert.match(await rows.nth(1).textContent(), /her husband.*C3/s);
  assert.equal(await post.locator("bdi[dir=auto]").count() >= 1, true);
  await accessible(page, assert, "case with a wish, a legal record and disputed evidence");
  await shot(page, "case-forms-recorded");
  await measure("case with every form", page, "/case/" + belgian.case_id);
  const recorded = JSON.parse(site.run("case", "show", belgian.case_id, "--json"));
  assert.equal(recorded.legal.length, 1);
  assert.equal(recorded.evidence.find((e) => e.evidence_id === evidence).authorship.length, 2);
});

test("a member stays behind, with the reason in her own script", async () => {
  const child = flagged.members.find((m) => m.relation === "child");
  await admin.goto(site.base + "/case/" + flagged.case_id);
  await admin.selectOption("#travel-person", child.person.person_id);
  await admin.selectOption("#travel-travels", "no");
  await admin.fill("#travel-reason", "تبقى مع جدتها في الحسكة");
  await Promise.all([admin.waitForURL(/done=/), admin.click("button:has-text('Record who travels')")]);
  const row = admin.locator("#members tr.staying");
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /stays behind.*تبقى مع جدتها/s);
  await accessible(admin, assert, "case with a member staying behind");
  await shot(admin, "case-member-stays-behind");
  const shown = JSON.parse(site.run("case", "show", flagged.case_id, "--json"));
  assert.equal(shown.members.find((m) => m.person.person_id === child.person.person_id).travels, false);
});

test("a consul of another country gets 404 on the case page and every one of its forms", async () => {
  await consul.goto(site.base + "/case/" + belgian.case_id);
  const csrf = await consul.locator("input[name=csrf]").first().inputValue();
  const other = cases.find((c) => c.country !== "BE");
  // The case as the operator reads it, without the days in each stage (they grow).
  const state = () => ({ ...JSON.parse(site.run("case", "show", other.case_id, "--json")), time_in_stages: null });
  const before = state();
  assert.equal((await consul.goto(site.base + "/case/" + other.case_id)).status(), 404);
  for (const kind of ["stage", "document", "handover", "wish", "legal", "evidence", "authorship", "member", "removal", "travel"]) {
    const res = await consul.request.post(`${site.base}/case/${other.case_id}/${kind}`, {
      form: { csrf, stage: "closed", note: "probe", kind: "other", wish: "to_return", reason: "probe", grade: "B2", content: "probe", channel: "call" },
      maxRedirects: 0,
    });
    assert.equal(res.status(), 404, kind);
  }
  assert.deepEqual(state(), before, "nothing written");
});

test("a tracing task is assigned from the Unaccounted-for list", async () => {
  await tracer.goto(site.base + "/tracing");
  const form = tracer.locator("form.assign").first();
  await form.waitFor();
  await form.locator("input[name=assignee]").fill("Hasakah tracing team");
  await Promise.all([tracer.waitForURL(/assigned=/), form.locator("button").click()]);
  assert.match(await tracer.textContent("#task-assigned"), /Task assigned to Hasakah tracing team/);
  assert.equal(await tracer.locator("form.assign input[name=assignee]").first().inputValue(), "Hasakah tracing team");
  const tasks = JSON.parse(site.run("tasks", "--assignee", "Hasakah tracing team", "--json"));
  assert.equal(tasks.length, 1, "the assignment is recorded");
  await accessible(tracer, assert, "unaccounted for, after assignment");
  await shot(tracer, "tracing-assigned");
  await measure("unaccounted for (with assignment)", tracer, "/tracing");
});
