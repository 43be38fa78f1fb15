// The screens around the main paths: the analyst's named lists, watchlists and selectivity,
// the administrator's party registry and offices, and a carrier's cargo report.
import { expect } from "../harness.mjs";

async function submit(page, form) {
  await Promise.all([page.waitForNavigation(), page.locator(form).locator("button[type=submit]").first().click()]);
}

export async function analystSettings(h) {
  const page = await h.page();
  await h.signIn(page, "analyst1", "analyst chosen password");
  await page.goto(`${h.url}/risk/lists`);
  await page.fill("#list-name", "risky-origins");
  await page.fill("#list-entries", "AF\nZZZ\nIR");
  await page.fill("#list-reason", "browser test");
  await submit(page, 'form[action="/risk/lists"]');
  const summary = await page.innerText("#error-summary");
  expect(/Line 2/.test(summary), `the bad entry is named by its line: ${summary}`);
  expect((await page.inputValue("#list-entries")) === "AF\nZZZ\nIR", "the entries typed are kept");
  await h.check(page, "analyst-list-error");
  await page.fill("#list-entries", "AF\nIR");
  await submit(page, 'form[action="/risk/lists/risky-origins"]');
  expect(page.url().endsWith("/risk/lists/risky-origins"), `saved: ${page.url()}`);
  await h.check(page, "analyst-list");

  await page.goto(`${h.url}/risk/watchlists`);
  const csv = "id,kind,name,aliases,country,remarks\nB-1,entity,Qora Dengiz Savdo MChJ,Black Sea Trading,UZ,browser test\n";
  await page.fill("#import-name", "analysts");
  await page.selectOption("#import-format", "csv");
  await page.setInputFiles("#import-file", { name: "analysts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.fill("#import-reason", "weekly list");
  await submit(page, 'form[action="/risk/watchlists/import"]');
  expect((await page.innerText("main")).includes("analysts"), "the watchlist is listed");
  await page.fill("#screen-name", "Black Sea Trading");
  await submit(page, 'form[action="/risk/screen"]');
  expect((await page.innerText("#screen-hits")).includes("analysts:B-1"), "the name is a hit");
  await h.check(page, "analyst-watchlists");

  await page.goto(`${h.url}/risk/selectivity`);
  await h.check(page, "analyst-selectivity");
  await page.fill("#r0-red_at", "sixty");
  await page.fill("#reason", "browser test");
  await submit(page, 'form[action="/risk/selectivity"]');
  expect(await page.isVisible('#error-summary a[href="#r0-red_at"]'), "the bad number is linked from the summary");
  expect((await page.inputValue("#r0-red_at")) === "sixty", "what was typed is kept");
  await h.check(page, "analyst-selectivity-error");
  await page.fill("#r0-red_at", "60");
  const last = await page.locator('input[name$="-office"]').last().getAttribute("name");
  const row = last.split("-")[0];
  await page.fill(`#${row}-office`, "UZTAS");
  for (const [column, value] of [["yellow_at", "25"], ["red_at", "55"], ["random_red", "0.02"], ["random_yellow", "0.03"], ["random_blue", "0"], ["red_capacity_per_day", "30"]]) {
    await page.fill(`#${row}-${column}`, value);
  }
  await submit(page, 'form[action="/risk/selectivity"]');
  expect(!(await page.isVisible("#error-summary")), `saved: ${await page.innerText("main")}`);
  expect(/Version [1-9]/.test(await page.innerText("main")), "a new version");
  await page.context().close();
}

export async function registry(h) {
  const page = await h.page();
  await h.signIn(page, "admin", "administrator chosen password");
  await page.goto(`${h.url}/admin/parties`);
  await page.fill("#party-id", "UZ301234567");
  await page.fill("#party-name", "Samarqand Savdo MChJ");
  await page.fill("#party-country", "QQ");
  await page.fill("#party-address", "Registon ko'chasi 1");
  await submit(page, 'form[action="/admin/parties"]');
  expect(await page.isVisible("#party-country-error"), "the country's problem is next to it");
  expect((await page.inputValue("#party-address")) === "Registon ko'chasi 1", "the address is kept");
  await h.check(page, "admin-party-error");
  await page.fill("#party-country", "UZ");
  await submit(page, 'form[action="/admin/parties"]');
  expect(page.url().endsWith("/admin/parties/UZ301234567"), `registered: ${page.url()}`);
  await page.fill("#mandate-representative", "UZ305123456");
  await page.selectOption("#mandate-representation", "direct");
  await submit(page, 'form[action$="/mandates"]');
  expect((await page.innerText("#mandates")).includes("UZ305123456"), `the mandate is listed: ${await page.innerText("main")}`);
  await h.check(page, "admin-party");
  await page.goto(`${h.url}/admin/offices?country=UZ`);
  expect((await page.innerText("main")).includes("UZTAS"), "Tashkent is an office");
  await h.check(page, "admin-offices");
  await page.context().close();
}

export async function carrier(h) {
  const page = await h.page();
  await h.signIn(page, "broker", "broker chosen password");
  await page.goto(`${h.url}/cargo-reports`);
  const report = { reference: "BROWSER-M-1", arrival_place: "UZTAS", expected_arrival: "2026-12-01",
    consignments: [{ sequence: 1, containers: ["CSQU3054383"], goods: [{ sequence: 1, description: "laptops", commodity_code: "847130" }] }] };
  await page.setInputFiles("#cargo-file", { name: "manifest.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(report)) });
  await submit(page, 'form[action="/cargo-reports"]');
  expect((await page.innerText("main")).includes("CSQU3054383"), `the report is shown: ${await page.innerText("main")}`);
  await h.check(page, "declarant-cargo-report");
  await page.goto(`${h.url}/cargo-reports`);
  expect((await page.innerText("main")).includes("BROWSER-M-1"), "the carrier lists its report");
  await h.check(page, "declarant-cargo-reports");
  await page.context().close();
}

// The administrator creates an account (a refused party first), reads its token once, changes
// its role, issues a second token and revokes the first; the new user signs in with the
// initial password and must change it.
export async function accounts(h) {
  const page = await h.page();
  await h.signIn(page, "admin", "administrator chosen password");
  await page.goto(`${h.url}/admin/users`);
  await page.fill("#user-name", "clerk1");
  await page.selectOption("#user-role", "declarant");
  await page.fill("#user-password", "clerk first password");
  await submit(page, 'form[action="/admin/users/new"]');
  expect(await page.isVisible("#user-party-error"), "a declarant without a party is refused at the party");
  expect((await page.inputValue("#user-name")) === "clerk1", "the name typed is kept");
  await h.check(page, "admin-user-error");
  await page.fill("#user-party", "UZ305123456");
  await page.fill("#user-password", "clerk first password");
  await submit(page, 'form[action="/admin/users/new"]');
  const first = (await page.innerText("#new-token")).trim();
  expect(first.startsWith("tmg_"), `the token is shown once: ${first}`);
  await h.check(page, "admin-user-created");
  await h.api("GET", "/declarations", first); // throws unless the new token is accepted

  await Promise.all([page.waitForNavigation(), page.click('a[href$="/tokens"]')]);
  await page.selectOption("#user-role", "officer");
  await submit(page, 'form[action$="/role"]');
  expect(await page.isVisible("#user-party-error"), "an officer with a party is refused at the party");
  await page.fill("#user-party", "");
  await submit(page, 'form[action$="/role"]');
  expect((await page.innerText("#role-title")).includes("officer"), `the role changed: ${await page.innerText("#role-title")}`);
  await submit(page, 'form[action$="/tokens"]');
  const second = (await page.innerText("#new-token")).trim();
  expect(second.startsWith("tmg_") && second !== first, "a second token is issued");
  await h.check(page, "admin-user");
  await Promise.all([page.waitForNavigation(), page.locator('form[action*="/revoke"] button').first().click()]);
  expect((await page.innerText("tbody tr:first-child")).includes("revoked"), "the first token is revoked");
  let refused = false;
  await h.api("GET", "/declarations", first).catch((e) => { refused = / 401 /.test(e.message); });
  expect(refused, "the revoked token is refused");
  await page.context().close();

  const clerk = await h.page();
  await h.signIn(clerk, "clerk1", "clerk first password", "clerk chosen password");
  expect(!/\/(login|password)$/.test(new URL(clerk.url()).pathname), `the new user is signed in: ${clerk.url()}`);
  await clerk.context().close();
}
