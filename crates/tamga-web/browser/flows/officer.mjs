// An officer finds the red declaration's task on their worklist, reads why it was selected,
// controls it, and releases the goods once the chief has endorsed and the duties are paid.
import { expect } from "../harness.mjs";

/** A 1×1 PNG: the photo attached to a finding. */
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

export async function officer(h, shared) {
  expect(shared.mrn, "the declarant's flow lodged a declaration");
  const page = await h.page();
  await h.signIn(page, "exa1", "examiner first password", "examiner chosen password");
  expect(page.url().endsWith("/worklist"), `the officer lands on the worklist, not ${page.url()}`);
  await h.check(page, "officer-worklist");
  const task = page.locator(`tr:has(a[href="/declarations/${shared.mrn}"]) a[href^="/tasks/"]`);
  await Promise.all([page.waitForNavigation(), task.click()]);
  const taskId = page.url().split("/").pop();
  await h.check(page, "officer-task");
  // Older tasks come a page at a time: the page after this task does not list it again.
  await page.goto(`${h.url}/worklist?after=${taskId}`);
  expect(!(await page.isVisible(`a[href="/tasks/${taskId}"]`)), "the page after the task does not list it");
  await page.goto(`${h.url}/tasks/${taskId}`);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/start"] button')]);
  const sample = { sample_id: "S-BROWSER-1", item: "1", seal_number: "SEAL-77", quantity: "2", unit: "pcs",
    packaging: "sealed bag", reason: "check the classification", determine: "is it a portable computer", lab: "RCL-TASHKENT" };
  for (const [name, value] of Object.entries(sample)) await page.fill(`#s-${name}`, value);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/sample"] button')]);
  expect(!(await page.isVisible("#error-summary")), `the sample is recorded: ${await page.innerText("main")}`);
  // A photo of the goods goes with the first item's finding.
  await page.setInputFiles("#files-1", { name: "goods.png", mimeType: "image/png", buffer: Buffer.from(PNG, "base64") });
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/complete"] button.primary')]);
  expect((await page.innerText(".badges")).includes("completed"), `the task is completed: ${await page.innerText("main")}`);
  const done = await h.api("GET", `/tasks/${taskId}`, shared.examinerToken);
  const attached = JSON.stringify(done.findings);
  expect(attached.includes("goods.png"), `the finding names the photo: ${attached.slice(0, 400)}`);
  await h.api("POST", `/tasks/${taskId}/endorse`, shared.chiefToken);
  await page.goto(`${h.url}/declarations/${shared.mrn}`);
  const why = await page.innerText("#why");
  expect(why.includes("Laptops to the red channel"), `the reasons name the profile: ${why}`);
  await h.check(page, "officer-declaration");
  // The duties: a wrong amount is refused and kept, the right one recorded.
  const due = (await h.api("GET", `/declarations/${shared.mrn}/assessment`, shared.examinerToken)).balance.due;
  await page.fill("#payment-amount", "1.234");
  await page.fill("#payment-method", "bank transfer");
  await page.fill("#payment-reference", "BROWSER-1");
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/payments"] button.primary')]);
  expect(await page.isVisible("#error-summary"), "a third decimal is refused");
  expect((await page.inputValue("#payment-reference")) === "BROWSER-1", "the form kept what was typed");
  await page.fill("#payment-amount", due);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/payments"] button.primary')]);
  expect((await page.innerText("#payments")).includes("BROWSER-1"), "the payment is listed");
  await h.check(page, "officer-payment");
  // A hold stops the release until it is lifted.
  await page.fill("#hold-reason", "seal number differs from the transport document");
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/holds"] button')]);
  await page.fill("#release-reason", "examined, goods as declared, duties paid");
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/status"] button.primary')]);
  expect(await page.isVisible("#error-summary"), `a hold refuses the release: ${await page.innerText("main")}`);
  await h.check(page, "officer-hold");
  await page.fill('form[action*="/lift"] input[name="reason"]', "seal checked with the carrier");
  await Promise.all([page.waitForNavigation(), page.click('form[action*="/lift"] button')]);
  await page.fill("#release-reason", "examined, goods as declared, duties paid");
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/status"] button.primary')]);
  const status = await page.innerText(".badges .status");
  expect(status.trim() === "released", `released: ${status} ${await page.innerText("main")}`);
  await h.check(page, "officer-released");
  await page.context().close();
}
