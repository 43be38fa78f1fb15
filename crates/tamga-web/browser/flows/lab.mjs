// The laboratory: a lab user receives the officer's sample with its hand-over, enters the
// result, cannot verify their own result (four eyes), and a second lab user verifies and
// publishes the report.
import { expect } from "../harness.mjs";

async function post(page, action, fill = {}) {
  const form = page.locator(`form[action$="/${action}"]`);
  for (const [selector, value] of Object.entries(fill)) {
    if (selector.startsWith("select:")) await form.locator(selector.slice(7)).selectOption(value);
    else await form.locator(selector).fill(value);
  }
  await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
}

export async function lab(h) {
  // The examiner who took the sample marks it collected and sends it off.
  const officer = await h.page();
  await h.signIn(officer, "exa1", "examiner chosen password");
  await officer.goto(`${h.url}/lab/samples/S-BROWSER-1`);
  for (const state of ["collected", "in-transit"]) await post(officer, "state", { "select:#st-state": state });
  expect(!(await officer.isVisible("#error-summary")), `the examiner sent the sample: ${await officer.innerText("main")}`);
  await officer.context().close();
  h.user("lab1", "lab", "lab one first password", { fresh: true });
  h.user("lab2", "lab", "lab two first password", { fresh: true });
  const page = await h.page();
  await h.signIn(page, "lab1", "lab one first password", "lab one chosen password");
  expect(page.url().endsWith("/lab"), `a lab user lands on the queue, not ${page.url()}`);
  await h.check(page, "lab-queue");
  await Promise.all([page.waitForNavigation(), page.click('a[href="/lab/samples/S-BROWSER-1"]')]);
  await post(page, "handover", { "#h-from": "exa1", "#h-to": "lab1", "#h-place": "RCL-TASHKENT", "#h-seal": "SEAL-77" });
  for (const state of ["received", "in-analysis"]) await post(page, "state", { "select:#st-state": state });
  expect(!(await page.isVisible("#error-summary")), `the sample moved on: ${await page.innerText("main")}`);
  await post(page, "result", { "#res-method": "visual and technical inspection", "#pn-1": "screen size",
    "#pv-1": "14", "#pu-1": "inch", "#res-conclusion": "a portable computer", "#res-code": "8471300000", "#res-reasoning": "weighs under 10 kg" });
  await h.check(page, "lab-sample");
  await post(page, "verify");
  expect(await page.isVisible("#error-summary"), "the analyst cannot verify their own result");
  await page.context().close();
  const second = await h.page();
  await h.signIn(second, "lab2", "lab two first password", "lab two chosen password");
  await second.goto(`${h.url}/lab/samples/S-BROWSER-1`);
  await post(second, "verify");
  await post(second, "publish");
  expect(await second.isVisible("text=The report is published"), `published: ${await second.innerText("main")}`);
  await h.check(second, "lab-published");
  await second.context().close();
}

// The administrator sees every account and ends the examiner's open sessions.
export async function admin(h) {
  h.cli(["admin", "set-password", "admin"], "administrator first password\n");
  const page = await h.page();
  await h.signIn(page, "admin", "administrator first password", "administrator chosen password");
  expect(page.url().endsWith("/admin/users"), `the administrator lands on the users, not ${page.url()}`);
  const row = page.locator("tr", { hasText: "exa1" });
  expect(Number(await row.locator("td.num").innerText()) > 0, "the examiner has open sessions");
  await h.check(page, "admin-users");
  await Promise.all([page.waitForNavigation(), row.locator("button").click()]);
  expect((await page.locator("tr", { hasText: "exa1" }).locator("td.num").innerText()) === "0", "their sessions ended");
  await page.context().close();
}
