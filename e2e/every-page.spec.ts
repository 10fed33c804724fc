import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { englishLeft } from "./english-left";
import { appPages, collectErrors, openPage, PAGE_NAMES, SCREENSHOTS } from "./pages";

/**
 * Every page in both languages and both themes, as a new operator would open
 * it: no console error (hydration #418 included), no English left on a 简体中文
 * page, no WCAG AA contrast violation (axe-core), and a screenshot of each in
 * test-results/screenshots/ for review (CI keeps test-results/).
 */
test.use({ viewport: { width: 1600, height: 1000 } });

for (const lang of ["en", "zh"] as const) {
  for (const theme of ["dark", "light"] as const) {
    for (const name of PAGE_NAMES) {
      test(`${name} in ${lang}, ${theme}: no console error, no contrast violation${lang === "zh" ? ", no English UI text" : ""}`, async ({ page }) => {
        const p = (await appPages(page)).find((x) => x.name === name)!;
        const errors = collectErrors(page);
        await test.step("open", () => openPage(page, p, lang, theme));
        await test.step("screenshot", () => page.screenshot({ path: `${SCREENSHOTS}/${p.name}-${theme}-${lang}.png`, fullPage: true }));
        const problems: string[] = [];
        if (lang === "zh") for (const e of await test.step("English walk", () => englishLeft(page))) problems.push(`English "${e.text}" in ${e.where}`);
        // Raw JSON is data, and the event log can hold thousands of rows: axe reads the first screenfuls.
        const axe = await test.step("axe", () => new AxeBuilder({ page }).withRules(["color-contrast"]).exclude("pre").exclude('[data-testid="event-table"] tbody tr:nth-child(n+60)').analyze());
        for (const v of axe.violations) for (const n of v.nodes) problems.push(`${v.id} ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ")}`);
        problems.push(...errors);
        expect(problems).toEqual([]);
      });
    }
  }
}
