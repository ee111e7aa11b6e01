// A synthetic demo registry, its users, `homeward serve` on a free loopback port, and
// Chromium driven by playwright-core; plus the checks every page gets (axe-core,
// screenshot, bytes on first load).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const here = dirname(fileURLToPath(import.meta.url));
export const OUT = join(here, "..", "out");
export const PASSWORD = "web tests only - synthetic";
const BIN = process.env.HOMEWARD_BIN;
if (!BIN) throw new Error("set HOMEWARD_BIN to the homeward binary (web-tests/run.sh does)");

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export class Site {
  /// `prepare(run)`, if given, runs CLI commands on the registry before it is served.
  static async start(prepare) {
    const dir = mkdtempSync(join(tmpdir(), "homeward-web-"));
    const env = {
      ...process.env,
      HOMEWARD_PASSPHRASE: "web tests only - not for real data",
      HOMEWARD_REGISTRY: join(dir, "homeward.db"),
    };
    const run = (...args) => execFileSync(BIN, args, { env, encoding: "utf8" });
    run("demo", "--scale", "0.02", "--seed", "2019");
    const pw = join(dir, "pw");
    writeFileSync(pw, PASSWORD + "\n");
    run("user", "add", "admin1", "--role", "admin", "--password-file", pw);
    run("user", "add", "tracer", "--role", "tracing", "--password-file", pw);
    run("user", "add", "consul.be", "--role", "consular", "--nationality", "BE", "--password-file", pw);
    const site = new Site(dir, env, run, pw);
    if (prepare) prepare(site);
    site.port = await freePort();
    site.base = `http://127.0.0.1:${site.port}`;
    site.server = spawn(BIN, ["serve", "--listen", `127.0.0.1:${site.port}`], { env, stdio: ["ignore", "ignore", "pipe"] });
    site.log = "";
    site.server.stderr.on("data", (d) => (site.log += d));
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(site.base + "/healthz")).ok) break;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    site.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    mkdirSync(OUT, { recursive: true });
    site.bytes = {};
    return site;
  }

  constructor(dir, env, run, pw) {
    Object.assign(this, { dir, env, run, pw });
  }

  /// Persons as the registry administrator sees them (to choose test subjects).
  persons(...filter) {
    return JSON.parse(this.run("person", "list", ...filter, "--limit", "500", "--json"));
  }

  /// Whether `user` may see person `id` (through `homeward as`, the CLI's gate).
  sees(user, id) {
    try {
      this.run("as", user, "--password-file", this.pw, "show", id);
      return true;
    } catch {
      return false;
    }
  }

  async stop() {
    await this.browser?.close();
    if (this.server && this.server.exitCode === null) {
      const exited = new Promise((r) => this.server.once("exit", r));
      this.server.kill("SIGINT");
      await exited;
    }
    // The synthetic registry is for this run only.
    rmSync(this.dir, { recursive: true, force: true });
  }

  async signedIn(user) {
    const context = await this.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(this.base + "/login");
    await page.fill("#username", user);
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("button[type=submit]")]);
    return page;
  }
}

/// No serious or critical axe-core violations on the page.
export async function accessible(page, assert, name) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`),
    [],
    `axe-core on ${name}`,
  );
}

export async function shot(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/// Loads `path` in a fresh page of the same signed-in context with the cache cleared and
/// returns the bytes transferred (headers and bodies of every request, as Chromium counts them).
export async function firstLoadBytes(site, signedPage, path) {
  const page = await signedPage.context().newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.clearBrowserCache");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  let total = 0;
  cdp.on("Network.loadingFinished", (e) => (total += e.encodedDataLength));
  await page.goto(site.base + path, { waitUntil: "networkidle" });
  await page.close();
  return total;
}
