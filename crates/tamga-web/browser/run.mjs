// Runs every role's main path in Chromium against one tamga server; exits 1 on any failure or
// any serious or critical accessibility violation.
import { Harness } from "./harness.mjs";
import { analyst, hitRates } from "./flows/analyst.mjs";
import { declarant } from "./flows/declarant.mjs";
import { officer } from "./flows/officer.mjs";
import { lab, admin } from "./flows/lab.mjs";
import { supervisor } from "./flows/supervisor.mjs";
import { analystSettings, registry, carrier, accounts } from "./flows/registry.mjs";
import { transit } from "./flows/transit.mjs";
import { posts } from "./flows/posts.mjs";
import { advance } from "./flows/advance.mjs";

const flows = [["analyst", analyst], ["declarant", declarant], ["officer", officer], ["lab", lab], ["hit rates", hitRates], ["admin", admin], ["supervisor", supervisor],
  ["analyst settings", analystSettings], ["registry", registry], ["carrier", carrier],
  ["transit", transit], ["accounts", accounts], ["posts", posts], ["advance payment", advance]];
const h = new Harness();
let failed = 0;
try {
  await h.start();
  console.log(`browser tests against ${h.url}, screenshots in ${(await import("./harness.mjs")).shots}`);
  const shared = {};
  // The post's examiner and chief, on shift, so the red declaration's task is drawn for them.
  shared.examinerToken = h.user("exa1", "officer", "examiner first password", { fresh: true });
  shared.chiefToken = h.user("chief1", "officer", "chief first password", { fresh: true });
  h.cli(["control", "officer", "exa1", "--office", "UZTAS", "--section", "import", "--group", "examiner"]);
  h.cli(["control", "officer", "chief1", "--office", "UZTAS", "--section", "import", "--group", "chief-examiner"]);
  h.cli(["control", "shift", "exa1", "--hours", "8"]);
  h.cli(["control", "shift", "chief1", "--hours", "8"]);
  for (const [name, flow] of flows) {
    const started = Date.now();
    try {
      await flow(h, shared);
      console.log(`  PASS ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`  FAIL ${name}: ${error.stack || error}`);
    }
  }
  for (const v of h.violations) {
    failed += 1;
    console.log(`  FAIL accessibility/script: ${v}`);
  }
} finally {
  await h.stop();
}
console.log(failed ? `${failed} browser test failure(s)` : "every browser test passed");
process.exit(failed ? 1 : 0);
