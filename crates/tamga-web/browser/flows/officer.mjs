// An officer finds the red declaration's task on their worklist, reads why it was selected,
// controls it, and releases the goods once the chief has endorsed and the duties are paid.
import { expect } from "../harness.mjs";

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
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/start"] button')]);
  const sample = { sample_id: "S-BROWSER-1", item: "1", seal_number: "SEAL-77", quantity: "2", unit: "pcs",
    packaging: "sealed bag", reason: "check the classification", determine: "is it a portable computer", lab: "RCL-TASHKENT" };
  for (const [name, value] of Object.entries(sample)) await page.fill(`#s-${name}`, value);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/sample"] button')]);
  expect(!(await page.isVisible("#error-summary")), `the sample is recorded: ${await page.innerText("main")}`);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/complete"] button.primary')]);
  expect((await page.innerText(".badges")).includes("completed"), "the task is completed");
  await h.api("POST", `/tasks/${taskId}/endorse`, shared.chiefToken);
  const assessment = await h.api("GET", `/declarations/${shared.mrn}/assessment`, shared.examinerToken);
  const due = assessment.balance.due;
  await h.api("POST", `/declarations/${shared.mrn}/payments`, shared.examinerToken,
    { kind: "payment", amount: due, method: "bank transfer", reference: "BROWSER-1" });
  await page.goto(`${h.url}/declarations/${shared.mrn}`);
  const why = await page.innerText("#why");
  expect(why.includes("Laptops to the red channel"), `the reasons name the profile: ${why}`);
  await h.check(page, "officer-declaration");
  await page.fill("#release-reason", "examined, goods as declared, duties paid");
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/status"] button.primary')]);
  const status = await page.innerText(".badges .status");
  expect(status.trim() === "released", `released: ${status} ${await page.innerText("main")}`);
  await h.check(page, "officer-released");
  await page.context().close();
}
