// Border posts: the gate at UZTAS reports a declared truck at the right weight and an
// unannounced one; the post's examiner finds both among the office's crossings, filters the
// alerts, and opens the one that matched its declaration.
import { expect, sample } from "../harness.mjs";

export async function posts(h) {
  const gate = h.cli(["admin", "create-user", "gate-tas", "--role", "post", "--office", "UZTAS"]).trim().split("\n").pop();
  const trader = h.user("posts-trader", "declarant", "posts trader first password", { party: "UZ305123456" });
  const declaration = structuredClone(sample);
  declaration.lrn = "LRN-POSTS-1";
  declaration.border_transport.identification = "01P900PS";
  declaration.containers = [];
  const lodged = await h.api("POST", "/declarations", trader, declaration);
  const crossing = (plate, gross) => ({ plate, gross_weight_kg: gross, tare_weight_kg: "14000", lane: "1",
    crossed_at: new Date().toISOString(), direction: "entry", images: ["cam-1"], seals: [] });
  const passed = await h.api("POST", "/crossings", gate, crossing("01 P 900 PS", "14380"));
  expect(passed.alerts.length === 0, `the declared truck passes: ${JSON.stringify(passed)}`);
  const stranger = await h.api("POST", "/crossings", gate, crossing("95Z000ZZ", "30000"));
  expect(stranger.alerts[0].kind === "no_pre_arrival", `the unannounced truck alerts: ${JSON.stringify(stranger)}`);

  const page = await h.page();
  await h.signIn(page, "exa1", "examiner chosen password");
  await page.goto(`${h.url}/crossings`);
  await h.check(page, "officer-crossings");
  expect((await page.innerText("main")).includes("no pre-arrival information"), "the alert is listed");
  await page.selectOption("#f-alert", "no_pre_arrival");
  await Promise.all([page.waitForNavigation(), page.click('form[role="search"] button')]);
  const rows = await page.locator("table.list tbody tr").count();
  expect(rows === 1, `only the unannounced truck under its alert: ${rows} rows`);
  await page.goto(`${h.url}/crossings`);
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/crossings/${passed.id}"]`)]);
  expect((await page.innerText("main")).includes(lodged.mrn), "the crossing names its declaration");
  await h.check(page, "officer-crossing");
  await page.context().close();
}
