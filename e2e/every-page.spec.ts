import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { englishLeft } from "./english-left";
import { appPages, collectErrors, openPage, SCREENSHOTS, type AppPage } from "./pages";

/**
 * Every page in both languages and both themes, as a new operator would open
 * it: no console error (hydration #418 included), no English left on a 简体中文
 * page, no WCAG AA contrast violation (axe-core), and a screenshot of each in
 * test-results/screenshots/ for review (CI keeps test-results/).
 */
test.use({ viewport: { width: 1600, height: 1000 } });

for (const lang of ["en", "zh"] as const) {
  for (const theme of ["dark", "light"] as const) {
    test(`every page in ${lang}, ${theme}: no console error, no contrast violation${lang === "zh" ? ", no English UI text" : ""}`, async ({ page }) => {
      test.setTimeout(180_000);
      const pages: AppPage[] = await appPages(page);
      const problems: string[] = [];
      for (const p of pages) {
        const errors = collectErrors(page);
        await openPage(page, p, lang, theme);
        await page.screenshot({ path: `${SCREENSHOTS}/${p.name}-${theme}-${lang}.png`, fullPage: true });
        if (lang === "zh") for (const e of await englishLeft(page)) problems.push(`${p.name}: English "${e.text}" in ${e.where}`);
        const axe = await new AxeBuilder({ page }).withRules(["color-contrast"]).analyze();
        for (const v of axe.violations) for (const n of v.nodes) problems.push(`${p.name}: ${v.id} ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ")}`);
        problems.push(...errors.map((e) => `${p.name}: ${e}`));
        page.removeAllListeners("console");
        page.removeAllListeners("pageerror");
      }
      expect(problems).toEqual([]);
    });
  }
}
