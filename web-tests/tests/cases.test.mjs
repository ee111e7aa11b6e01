// Repatriation in a real browser: the board by stage, a case page (children flagged, a
// disputed authorship shown from both sides, a document recorded and the case moved
// through its forms), a consul scoped to BE who sees no other country's case, and a
// tracing task assigned from the Unaccounted-for list. Every page is checked with
// axe-core, screenshotted, and its first-load size measured (under 200 KB).
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
  belgian = full.find((c) => c.country === "BE");
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
