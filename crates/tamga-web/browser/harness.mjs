// The browser tests' harness: one `tamga serve` on a temporary SQLite database, one headless
// Debian Chromium, accounts made with tamga's own CLI, axe-core on every page visited, and a
// screenshot of every screen in the screenshots folder.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..", "..");
export const bin = process.env.TAMGA_BIN || join(root, "target", "debug", "tamga");
export const shots = process.env.TAMGA_SCREENSHOTS || join(root, "target", "browser-screenshots");
const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
// tamga reads every TAMGA_* variable as a setting: the harness's own are kept from it.
const childEnv = { ...process.env };
delete childEnv.TAMGA_BIN;
delete childEnv.TAMGA_SCREENSHOTS;
export const sample = JSON.parse(readFileSync(join(root, "examples", "declaration.json"), "utf8"));

export class Harness {
  async start() {
    mkdirSync(shots, { recursive: true });
    this.dataDir = mkdtempSync(join(tmpdir(), "tamga-browser-"));
    this.server = spawn(bin, ["serve", "--data-dir", this.dataDir, "--listen", "127.0.0.1:0"], {
      env: { ...childEnv, TAMGA_LOG__FILTER: "warn" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.url = await new Promise((resolve, reject) => {
      let seen = "";
      this.server.stdout.on("data", (chunk) => {
        seen += chunk;
        const found = seen.match(/listening on (http:\/\/[0-9.:]+)/);
        if (found) resolve(found[1]);
      });
      this.server.on("exit", (code) => reject(new Error(`tamga serve exited with ${code}: ${seen}`)));
      setTimeout(() => reject(new Error(`tamga serve did not start: ${seen}`)), 60000);
    });
    this.browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true });
    this.violations = [];
  }

  async stop() {
    await this.browser?.close();
    this.server?.kill("SIGTERM");
  }

  /** Runs the tamga CLI on the test database; its standard output. */
  cli(args, input) {
    return execFileSync(bin, [...args, "--data-dir", this.dataDir], { input, env: childEnv, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  }

  /** A user with a password; their API token. `fresh` leaves the forced first change to do. */
  user(name, role, password, { party, fresh = false } = {}) {
    const args = ["admin", "create-user", name, "--role", role];
    if (party) args.push("--party", party);
    const token = this.cli(args).trim().split("\n").pop();
    this.cli(["admin", "set-password", name], password + "\n");
    if (!fresh) this.changedPassword = (this.changedPassword || new Set()).add(name);
    return token;
  }

  async api(method, path, token, body) {
    const response = await fetch(this.url + "/api/v1" + path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** A new browser context and page, English, CSP bypassed only so axe can be injected. */
  async page(lang = "en-GB") {
    const context = await this.browser.newContext({ locale: lang, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => this.violations.push(`script error on ${page.url()}: ${error.message}`));
    return page;
  }

  /** Checks the page with axe-core (serious and critical violations fail the run) and saves a screenshot. */
  async check(page, name) {
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations) {
      if (v.impact === "serious" || v.impact === "critical") {
        this.violations.push(`${name} (${page.url()}): ${v.id} ${v.impact}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  /** Signs in through the login form; when the password is the first one, changes it. */
  async signIn(page, name, password, newPassword) {
    await page.goto(this.url + "/login");
    await this.check(page, "login");
    await page.fill("#name", name);
    await page.fill("#password", password);
    await Promise.all([page.waitForNavigation(), page.click("button.primary")]);
    if (page.url().endsWith("/password")) {
      await this.check(page, "password-change");
      await page.fill("#current", password);
      await page.fill("#new", newPassword);
      await page.fill("#confirm", newPassword);
      await Promise.all([page.waitForNavigation(), page.click("button.primary")]);
    }
  }
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}
