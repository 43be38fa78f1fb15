// Paying online: customs credits a trader's bank transfer to its advance account (a refused
// amount first), the trader pays a green declaration from the account on the declaration's
// page, the declaration is released at once, and the ledger shows the payment.
import { expect, sample } from "../harness.mjs";

const PARTY = "UZ207654321";

export async function advance(h) {
  const root = h.user("cashier", "admin", "cashier first password");
  await h.api("POST", "/parties", root, { id: PARTY, name: "Farg'ona To'qimachilik AJ", country: "UZ" });
  const trader = h.user("weaver", "declarant", "weaver first password", { party: PARTY });
  const declaration = structuredClone(sample);
  delete declaration.lodgement_date;
  declaration.lrn = "BROWSER-ADV-1";
  declaration.declarant = { ...declaration.declarant, id: PARTY, name: "Farg'ona To'qimachilik AJ" };
  declaration.items = [{ ...declaration.items[0], commodity_code: "6109100000", description: "Cotton T-shirts, knitted" }];
  const lodged = await h.api("POST", "/declarations", trader, declaration);
  expect(lodged.channel === "green", `a green declaration to pay: ${JSON.stringify(lodged).slice(0, 300)}`);
  const mrn = lodged.mrn;

  h.user("teller", "officer", "teller first password");
  const desk = await h.page();
  await h.signIn(desk, "teller", "teller first password", "teller chosen password");
  await Promise.all([desk.waitForNavigation(), desk.click('a[href="/advance"]')]);
  await h.check(desk, "advance-look-up");
  await desk.fill("#advance-party", PARTY);
  await Promise.all([desk.waitForNavigation(), desk.click("button.primary")]);
  expect(desk.url().endsWith(`/advance/${PARTY}`), `the account opens: ${desk.url()}`);
  await desk.fill("#deposit-amount", "5,000,000");
  await desk.fill("#deposit-reference", "PO 2026/501");
  await Promise.all([desk.waitForNavigation(), desk.click("button.primary")]);
  expect(await desk.isVisible("#deposit-amount-error"), "the amount's problem is next to it");
  expect((await desk.inputValue("#deposit-reference")) === "PO 2026/501", "the payment order is kept");
  await h.check(desk, "advance-deposit-error");
  await desk.fill("#deposit-amount", "500000000.00");
  await Promise.all([desk.waitForNavigation(), desk.click("button.primary")]);
  const ledger = await desk.innerText("main");
  expect(ledger.includes("PO 2026/501") && ledger.includes("500000000.00"), `credited: ${ledger}`);
  await h.check(desk, "advance-officer-account");
  await desk.context().close();

  const page = await h.page();
  await h.signIn(page, "weaver", "weaver first password", "weaver chosen password");
  await page.goto(`${h.url}/declarations/${mrn}`);
  expect(await page.isVisible(`form[action="/declarations/${mrn}/advance-payment"]`), "the trader may pay online");
  await h.check(page, "advance-declaration-due");
  await Promise.all([page.waitForNavigation(), page.click(`form[action="/declarations/${mrn}/advance-payment"] button`)]);
  const paid = await page.innerText("main");
  expect(paid.includes("advance account"), `the payment is listed: ${paid}`);
  expect((await page.innerText(".status")).trim() === "released", `released at once: ${await page.innerText(".status")}`);
  await h.check(page, "advance-declaration-paid");
  await Promise.all([page.waitForNavigation(), page.click('a[href="/advance"]')]);
  const own = await page.innerText("main");
  expect(own.includes(mrn) && own.includes("PO 2026/501"), `the ledger shows the transfer and the payment: ${own}`);
  await h.check(page, "advance-trader-account");
  await page.context().close();
}
