// A supervisor watches the Situation Center while a declaration is lodged through the API: the
// post's figures change within two seconds, without reloading the page; then the post's page.
import { expect, sample } from "../harness.mjs";

const todayCell = 'table.figures tr:has(a[href="/situation/UZTAS"]) td:nth-of-type(2)';

async function today(page) {
  const cell = await page.$(todayCell);
  return cell ? (await cell.innerText()).trim() : "0";
}

export async function supervisor(h) {
  const broker = h.user("broker2", "declarant", "situation broker password", { party: "UZ305123456" });
  h.user("super1", "supervisor", "supervisor first password", { fresh: true });
  const page = await h.page();
  await h.signIn(page, "super1", "supervisor first password", "supervisor chosen password");
  expect(page.url().endsWith("/situation"), `the supervisor lands on the Situation Center, not ${page.url()}`);
  expect(await page.$("svg path.land"), "the map shows the region's countries");
  await h.check(page, "supervisor-situation");
  const before = await today(page);
  // Time for the page's EventSource to connect (a stream never shows as a finished resource).
  await page.waitForTimeout(1000);
  await page.evaluate(() => { window.notReloaded = true; });
  const declaration = structuredClone(sample);
  declaration.lrn = "BROWSER-SITUATION-1";
  const lodged = Date.now();
  await h.api("POST", "/declarations", broker, declaration);
  await page.waitForFunction(([selector, n]) => {
    const cell = document.querySelector(selector);
    return cell && cell.innerText.trim() !== n;
  }, [todayCell, before], { timeout: 2000 });
  const waited = Date.now() - lodged;
  const after = await today(page);
  expect(Number(after) === Number(before) + 1, `today's count went from ${before} to ${after}`);
  expect(await page.evaluate(() => window.notReloaded === true), "the page was not reloaded");
  console.log(`    the figures changed ${waited} ms after the lodgement`);
  await h.check(page, "supervisor-situation-updated");
  await Promise.all([page.waitForNavigation(), page.click('table.figures a[href="/situation/UZTAS"]')]);
  expect(await page.$("svg.chart rect.bar"), "the post's hourly chart has bars");
  expect(await page.$('a[href^="/declarations/"]'), "the post's recent declarations link to them");
  await h.check(page, "supervisor-post");
  await page.context().close();
}
