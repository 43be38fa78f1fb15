// A declarant lodges through the form, fixes the problem the form shows next to its field,
// and sees the channel of the accepted declaration.
import { expect, sample } from "../harness.mjs";

/** The sample declaration, one item, as (pointer, text) pairs. */
function fields() {
  const declaration = structuredClone(sample);
  declaration.items = [declaration.items[0]];
  delete declaration.lodgement_date;
  declaration.lrn = "BROWSER-LRN-1";
  const out = [];
  const walk = (value, pointer) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${pointer}/${i}`));
    else if (value && typeof value === "object") Object.entries(value).forEach(([k, v]) => walk(v, `${pointer}/${k}`));
    else out.push([pointer, String(value)]);
  };
  walk(declaration, "");
  return out;
}

export async function declarant(h, shared) {
  h.user("broker", "declarant", "broker first password", { party: "UZ305123456", fresh: true });
  const page = await h.page();
  await h.signIn(page, "broker", "broker first password", "broker chosen password");
  expect(page.url().endsWith("/declarations"), `the declarant lands on their declarations, not ${page.url()}`);
  await h.check(page, "declarant-declarations-empty");
  await Promise.all([page.waitForNavigation(), page.click('a[href="/declarations/new"]')]);
  await h.check(page, "declarant-form");
  const code = '[name="/items/0/commodity_code"]';
  await page.fill(code, "847130");
  await page.waitForSelector("#hs-0 option", { state: "attached", timeout: 5000 });
  for (const [pointer, value] of fields()) {
    const field = page.locator(`[name="${pointer}"]`);
    if (await field.count()) await field.fill(value);
  }
  await page.fill(code, "9999999999");
  await Promise.all([page.waitForNavigation(), page.click('button.primary[value="lodge"]')]);
  expect(await page.isVisible("#error-summary"), "the error summary is shown");
  expect(await page.isVisible("#f-items-0-commodity_code-error"), "the problem is next to the commodity code");
  expect((await page.inputValue('[name="/lrn"]')) === "BROWSER-LRN-1", "the form kept the LRN");
  await h.check(page, "declarant-form-errors");
  await page.fill(code, "8471300000");
  await Promise.all([page.waitForNavigation(), page.click('button.primary[value="lodge"]')]);
  const mrn = page.url().split("/").pop();
  expect(/^26UZTAS/.test(mrn), `accepted with an MRN: ${page.url()} ${await page.innerText("main")}`);
  const channel = await page.innerText(".channel");
  expect(channel.trim() === "red", `the channel is shown: ${channel}`);
  expect(!(await page.isVisible("#why")), "a declarant never sees the reasons");
  await h.check(page, "declarant-declaration");
  shared.mrn = mrn;
  await page.context().close();
}
