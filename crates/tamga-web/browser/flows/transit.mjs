// Transit: a forwarder's TR declaration opens a movement under its guarantee; the officer of
// the office of departure finds it among their office's movements and releases it for transit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, root } from "../harness.mjs";

export async function transit(h) {
  const admin = h.user("transit-admin", "admin", "transit admin first password");
  await h.api("POST", "/transit/guarantees", admin, { grn: "26UZ0000010000001", type: "1", holder: "UZ305123456",
    currency: "USD", reference_amount: "20000.00", access_code: "AB12" });
  const forwarder = h.user("forwarder", "declarant", "forwarder first password", { party: "UZ305123456" });
  const declaration = JSON.parse(readFileSync(join(root, "examples", "transit.json"), "utf8"));
  declaration.transit.time_limit = new Date(Date.now() + 8 * 86400000).toISOString().slice(0, 10);
  const lodged = await h.api("POST", "/declarations", forwarder, declaration);
  const page = await h.page();
  await h.signIn(page, "exa1", "examiner chosen password");
  await page.goto(`${h.url}/transit`);
  await h.check(page, "officer-transit");
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/transit/${lodged.mrn}"]`)]);
  await h.check(page, "officer-movement");
  expect(!(await page.isVisible('input[name="step"][value="write_off"]')), "no button for a step the state does not allow");
  const release = page.locator('form:has(input[name="step"][value="release"])');
  await Promise.all([page.waitForNavigation(), release.locator("button").click()]);
  expect(!(await page.isVisible('[role="alert"]')), `released for transit: ${await page.innerText("main")}`);
  const balance = await h.api("GET", "/transit/guarantees/26UZ0000010000001?access_code=AB12", forwarder);
  expect(JSON.stringify(balance).includes("7500"), `the guarantee is reserved: ${JSON.stringify(balance)}`);
  await h.check(page, "officer-movement-released");
  await page.context().close();
}
