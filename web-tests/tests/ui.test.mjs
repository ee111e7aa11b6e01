// The web UI in a real browser: sign-in, search in Latin and Arabic script, a person,
// recording a report with a claim, a camp status change, the tracing list and the audit
// view; then the same pages as a consular user scoped to BE, who must not see a person
// or a nationality outside that scope. Every page is checked with axe-core, screenshotted,
// and its first-load size measured (under 200 KB).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Site, accessible, shot, firstLoadBytes, OUT } from "./harness.mjs";

const LIMIT = 200 * 1024;
const arabic = /[\u0600-\u06FF]/;
let site, tracer, admin, consul;
let be; // a Belgian woman with names in both scripts, visible to the consul
let hidden; // a person the consul may not see
let foreign; // a nationality none of the consul's persons holds
let latinName, arabicName;

before(async () => {
  site = await Site.start();
  be = site
    .persons("--nationality", "BE")
    .find((p) => p.names.some((n) => arabic.test(n)) && p.names.some((n) => /^[A-Za-z][A-Za-z' -]+$/.test(n) && n.includes(" ")));
  assert.ok(be, "the demo has a Belgian person with Latin and Arabic names");
  latinName = be.names.find((n) => /^[A-Za-z][A-Za-z' -]+$/.test(n) && n.includes(" "));
  arabicName = be.names.find((n) => arabic.test(n));
  const consulStats = JSON.parse(site.run("as", "consul.be", "--password-file", site.pw, "stats", "--by", "nationality"));
  const consulNats = new Set(consulStats.groups.map((g) => g.nationality));
  foreign = ["FR", "DE", "GB", "NL", "RU"].find((c) => !consulNats.has(c) && site.persons("--nationality", c).length > 0);
  assert.ok(foreign, "a nationality outside the consul's view");
  hidden = site
    .persons("--nationality", foreign)
    .find((p) => p.names.some((n) => /^[A-Za-z][A-Za-z' -]+ [A-Za-z' -]+$/.test(n)) && !site.sees("consul.be", p.person_id));
  assert.ok(hidden, `a ${foreign} person the consul may not see`);
  tracer = await site.signedIn("tracer");
  admin = await site.signedIn("admin1");
});

after(async () => {
  if (site) {
    writeFileSync(join(OUT, "bytes.json"), JSON.stringify(site.bytes, null, 2));
    console.log("first-load bytes per page:\n" + Object.entries(site.bytes).map(([k, v]) => `  ${k}: ${v}`).join("\n"));
    await site.stop();
  }
});

async function measure(name, page, path) {
  const bytes = await firstLoadBytes(site, page, path);
  site.bytes[name] = bytes;
  assert.ok(bytes < LIMIT, `${name} is ${bytes} bytes on first load (limit ${LIMIT})`);
}

test("sign-in refuses a wrong password clearly, then signs in", async () => {
  const ctx = await site.browser.newContext();
  const page = await ctx.newPage();
  const first = await page.goto(site.base + "/login");
  assert.equal(first.status(), 200);
  await accessible(page, assert, "sign-in");
  await page.fill("#username", "tracer");
  await page.fill("#password", "not the password at all");
  await page.click("button[type=submit]");
  await page.waitForSelector("#login-error");
  assert.match(await page.textContent("#login-error"), /Wrong user name or password/);
  assert.match(await page.textContent("#login-error"), /locked for 15 minutes/);
  await accessible(page, assert, "sign-in with error");
  await shot(page, "sign-in-wrong-password");
  const cookies = await ctx.cookies();
  assert.ok(!cookies.some((c) => c.name === "hw_session"), "no session after a wrong password");
  await page.fill("#password", "web tests only - synthetic");
  await Promise.all([page.waitForURL(/\/search$/), page.click("button[type=submit]")]);
  const session = (await ctx.cookies()).find((c) => c.name === "hw_session");
  assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
  assert.equal(session.sameSite, "Strict");
  await ctx.close();
  // Measured in a context of its own: loading the form again replaces its one-time token.
  const fresh = await (await site.browser.newContext()).newPage();
  await measure("sign-in", fresh, "/login");
  await fresh.context().close();
});

test("search finds a person by a Latin-script name", async () => {
  await tracer.goto(site.base + "/search?q=" + encodeURIComponent(latinName));
  const link = tracer.locator(`a[href="/person/${be.person_id}"]`);
  await link.waitFor();
  const row = tracer.locator("#results tr", { has: link });
  assert.match(await row.textContent(), /BE/);
  // Each hit says why it matched: the name that matched, how closely, and the score.
  assert.match(await row.textContent(), /\(\d+%\).*score \d\.\d\d/s);
  assert.equal(await tracer.locator("#results bdi[dir=auto]").first().getAttribute("dir"), "auto");
  await accessible(tracer, assert, "search (Latin)");
  await shot(tracer, "search-latin");
  await measure("search", tracer, "/search?q=" + encodeURIComponent(latinName));
});

test("search finds the same person by an Arabic-script name, shown right to left", async () => {
  await tracer.goto(site.base + "/search?q=" + encodeURIComponent(arabicName));
  await tracer.locator(`#results a[href="/person/${be.person_id}"]`).waitFor();
  const ar = tracer.locator("#results bdi[lang=ar]").first();
  assert.equal(await ar.evaluate((e) => getComputedStyle(e).direction), "rtl");
  await accessible(tracer, assert, "search (Arabic)");
  await shot(tracer, "search-arabic");
});

test("a person page shows names with sources, nationality, whereabouts and the timeline", async () => {
  const res = await tracer.goto(site.base + "/person/" + be.person_id);
  assert.equal(res.status(), 200);
  const names = await tracer.textContent("#names");
  assert.ok(names.includes(latinName) && names.includes(arabicName));
  assert.match(await tracer.textContent("#nationalities"), /BE/);
  assert.match(await tracer.textContent("#whereabouts"), /confidence \d+%/);
  await accessible(tracer, assert, "person");
  await shot(tracer, "person");
  await measure("person", tracer, "/person/" + be.person_id);
});

test("recording a report with a claim, choosing the person from suggestions", async () => {
  await tracer.goto(site.base + "/report/new");
  await accessible(tracer, assert, "record a report");
  await measure("record a report", tracer, "/report/new");
  await tracer.selectOption("#channel", "voice_note");
  await tracer.selectOption("#reliability", "B");
  await tracer.selectOption("#credibility", "2");
  await tracer.fill("#source", "a cousin in Hasakah (synthetic)");
  const text = "Voice note: she was seen at the water point this morning, well. Synthetic test report.";
  await tracer.fill("#content", text);
  await tracer.fill("#find1", latinName);
  const suggestion = tracer.locator("#suggest1 button", { hasText: latinName }).first();
  await suggestion.waitFor();
  await shot(tracer, "report-suggestions");
  await suggestion.click();
  assert.equal(await tracer.inputValue("#person1"), be.person_id);
  await tracer.selectOption("#kind1", "seen_at");
  await tracer.selectOption("#place1", { label: "Roj (camp)" });
  await tracer.click("button:has-text('Record the report')");
  await tracer.waitForSelector("#report-recorded");
  await accessible(tracer, assert, "report recorded");
  await shot(tracer, "report-recorded");
  await tracer.goto(site.base + "/person/" + be.person_id);
  const timeline = await tracer.textContent("#timeline");
  assert.ok(timeline.includes(text), "the report is in the person's timeline");
  assert.ok(timeline.includes("a cousin in Hasakah (synthetic)"), "a tracing officer holds the key to the sealed source");
  assert.match(timeline, /B2/);
});

test("a report without its CSRF token is refused", async () => {
  const res = await tracer.request.post(site.base + "/report", {
    form: { channel: "call", reliability: "C", credibility: "3", content: "forged" },
    maxRedirects: 0,
  });
  assert.equal(res.status(), 403);
});

test("a camp status change asks for confirmation, then shows the new status", async () => {
  await admin.goto(site.base + "/camps");
  // Ain Issa lost its guards: its trend is drawn inline, from counts the gate suppressed.
  const ainIssa = admin.locator("section", { has: admin.locator("h2", { hasText: /^Ain Issa$/ }) });
  const trend = ainIssa.locator("figure.trend svg[role=img]");
  await trend.waitFor();
  assert.match(await trend.getAttribute("aria-label"), /Ain Issa/);
  assert.ok((await trend.locator("polyline").count()) > 0, "the trend is drawn");
  assert.equal(await trend.locator("script, a, image, foreignObject").count(), 0, "self-contained");
  assert.match(await ainIssa.locator("figure.trend figcaption").textContent(), /withheld/);
  await accessible(admin, assert, "camps");
  await shot(admin, "camps-trend");
  await measure("camps", admin, "/camps");
  const section = admin.locator("section", { has: admin.locator("h2", { hasText: /^Roj$/ }) });
  await section.locator("select").selectOption("under_fire");
  await section.locator("button:has-text('Continue')").click();
  await admin.waitForSelector("#confirm-question");
  assert.match(await admin.textContent("#confirm-question"), /Roj.*under fire/);
  await accessible(admin, assert, "confirm status change");
  await shot(admin, "camp-confirm");
  await admin.click("button:has-text('Confirm the change')");
  await admin.waitForSelector("#status-changed");
  const roj = admin.locator("section", { has: admin.locator("h2", { hasText: /^Roj$/ }) });
  assert.match(await roj.locator(".camp-status").textContent(), /under fire/);
  // Roj now has a trend of its own since the change.
  await roj.locator("figure.trend svg[role=img]").waitFor();
  await accessible(admin, assert, "camps after a change");
  await shot(admin, "camps-after-change");
});

test("the tracing list and the audit view", async () => {
  await tracer.goto(site.base + "/tracing");
  assert.match(await tracer.textContent("#tracing-count"), /\d+ persons/);
  await accessible(tracer, assert, "unaccounted for");
  await shot(tracer, "tracing");
  await measure("unaccounted for", tracer, "/tracing");
  await admin.goto(site.base + "/audit?person=" + be.person_id);
  const audit = await admin.textContent("#audit");
  assert.match(audit, /tracer\s*web\s*person\.read/, "the tracing officer's web read is audited");
  await accessible(admin, assert, "audit");
  await shot(admin, "audit");
  await measure("audit", admin, "/audit?person=" + be.person_id);
  const refused = await tracer.goto(site.base + "/audit?person=" + be.person_id);
  assert.equal(refused.status(), 403);
});

test("a consul scoped to BE sees BE persons and nothing of another nationality", async () => {
  consul = await site.signedIn("consul.be");
  const hiddenName = hidden.names.find((n) => /^[A-Za-z][A-Za-z' -]+ [A-Za-z' -]+$/.test(n));
  // Search: the Belgian is found, the other person is not.
  await consul.goto(site.base + "/search?q=" + encodeURIComponent(latinName));
  await consul.locator(`#results a[href="/person/${be.person_id}"]`).waitFor();
  await consul.goto(site.base + "/search?q=" + encodeURIComponent(hiddenName));
  assert.equal(await consul.locator(`a[href="/person/${hidden.person_id}"]`).count(), 0);
  assert.ok(!(await consul.textContent("main")).includes(foreign), `no ${foreign} on the consul's search page`);
  await accessible(consul, assert, "consul search");
  await shot(consul, "consul-search-other");
  // The person page of someone else is "not found", like a person who does not exist.
  const res = await consul.goto(site.base + "/person/" + hidden.person_id);
  assert.equal(res.status(), 404);
  assert.match(await consul.textContent("main"), /No such person/);
  await shot(consul, "consul-person-hidden");
  const own = await consul.goto(site.base + "/person/" + be.person_id);
  assert.equal(own.status(), 200);
  assert.ok(!(await consul.textContent("#timeline")).includes("a cousin in Hasakah"), "the source stays sealed for a consul");
  await accessible(consul, assert, "consul person");
  await shot(consul, "consul-person");
  // Suggestions while recording a report do not reveal the person either.
  const sugg = await consul.evaluate(async (q) => (await fetch("/suggest?q=" + encodeURIComponent(q))).json(), hiddenName);
  assert.ok(!sugg.some((s) => s.person_id === hidden.person_id));
  // Tracing list and camp counts: nothing of the other nationality.
  await consul.goto(site.base + "/tracing");
  assert.equal(await consul.locator(`a[href="/person/${hidden.person_id}"]`).count(), 0);
  assert.ok(!(await consul.textContent("main")).includes(foreign));
  await shot(consul, "consul-tracing");
  await consul.goto(site.base + "/camps");
  // The consul's chart is drawn from the consul's own (suppressed) counts.
  const consulTrend = consul.locator("figure.trend svg[role=img]").first();
  await consulTrend.waitFor();
  assert.ok(!(await consulTrend.textContent()).includes(foreign), `no ${foreign} in the consul's chart`);
  const cells = await consul.locator("main td").allTextContents();
  assert.ok(!cells.some((c) => c.trim() === foreign), `no ${foreign} count on the consul's camps page`);
  assert.equal(await consul.locator("button:has-text('Continue')").count(), 0, "a consul may not change a camp's status");
  await accessible(consul, assert, "consul camps");
  await shot(consul, "consul-camps");
  // The audit view is for administrators only.
  assert.equal((await consul.goto(site.base + "/audit")).status(), 403);
});
