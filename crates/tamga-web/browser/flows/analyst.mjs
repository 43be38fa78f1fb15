// An analyst writes a profile with a syntax error, sees where it is as they type, fixes it,
// dry-runs it against recent declarations and activates it.
import { expect } from "../harness.mjs";

export async function analyst(h) {
  h.user("analyst1", "analyst", "analyst first password", { fresh: true });
  const page = await h.page();
  await h.signIn(page, "analyst1", "analyst first password", "analyst chosen password");
  expect(page.url().endsWith("/risk/profiles"), `the analyst lands on the profiles, not ${page.url()}`);
  await h.check(page, "analyst-profiles");
  await Promise.all([page.waitForNavigation(), page.click('a[href="/risk/profiles/new"]')]);
  await page.fill("#p-id", "laptops-red");
  await page.fill("#p-title", "Laptops to the red channel");
  await page.fill("#p-condition", "hs in heading(8471) and and");
  const error = await page.waitForSelector("#condition-check .error-message", { timeout: 5000 });
  const said = await error.innerText();
  expect(/line 1/.test(said) && /column/.test(said), `the error names line and column: ${said}`);
  await h.check(page, "analyst-condition-error");
  await page.fill("#p-condition", "hs in heading(8471)");
  await page.waitForSelector("#condition-check .ok", { timeout: 5000 });
  await page.check("#e-force");
  await page.selectOption("#p-channel", "red");
  await page.fill("#p-reason", "browser test: laptops are examined");
  await Promise.all([page.waitForNavigation(), page.click('button.secondary[value="dry-run"]')]);
  expect(await page.isVisible("#dry-run"), "the dry run's result is shown");
  expect((await page.inputValue("#p-condition")) === "hs in heading(8471)", "the form kept the condition");
  await h.check(page, "analyst-dry-run");
  await Promise.all([page.waitForNavigation(), page.click('button.primary[value="activate"]')]);
  expect(page.url().endsWith("/risk/profiles/laptops-red"), `activated: ${page.url()}`);
  expect((await page.innerText("main")).includes("v1"), "the history shows version 1");
  await h.check(page, "analyst-profile-history");
  await page.context().close();
}

// After the officer's control, the analyst reads the profile's hit rate beside the random baseline.
export async function hitRates(h) {
  const page = await h.page();
  await h.signIn(page, "analyst1", "analyst chosen password");
  await page.goto(`${h.url}/risk/statistics`);
  const row = await page.innerText('tr:has(a[href="/risk/profiles/laptops-red"])');
  expect(/laptops-red\s+1\s+1\s+0\s+0\.0 %/.test(row), `one selection, inspected, no hit: ${row}`);
  expect(await page.isVisible("svg.chart"), "the chart is drawn");
  await h.check(page, "analyst-hit-rates");
  await page.context().close();
}
