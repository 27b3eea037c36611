// axe-core on the logon screen, and on every main screen after logon in Japanese, on a desktop and on a
// phone (the English tour is web-console-accessibility-en.test.ts, which runs beside this file).
import { describe, expect, it } from "vitest";
import { useScreenTour, violations } from "#test/support/accessibility";
import { logOnInBrowser } from "#test/support/console-flows";

const { run, admin, checkLanguage } = await useScreenTour();

describe("accessibility of every main screen (axe-core)", () => {
  it("finds no violation on the logon screen, in both languages and on a phone", {
    timeout: 60_000,
  }, async () => {
    const found: string[] = [];
    for (const lang of ["ja", "en"] as const)
      for (const viewport of [
        { width: 1280, height: 900 },
        { width: 375, height: 740 },
      ]) {
        const page = await run.newPage({ lang, viewport });
        await page.locator('form[name="logon"]').waitFor();
        found.push(...(await violations(page)).map((line) => `${lang} ${viewport.width} logon ${line}`));
        if (viewport.width < 1280) continue;
        // A refused logon, its alert showing.
        const form = page.locator('form[name="logon"]');
        await form.locator('input[name="contractId"]').fill("00000000000");
        await form.locator('input[name="pin"]').fill("Wr0ngPin1");
        await form.locator('button[type="submit"]').click();
        await page.locator('form[name="logon"] [role="alert"]').waitFor();
        found.push(...(await violations(page)).map((line) => `${lang} ${viewport.width} refused ${line}`));
      }
    expect(found).toEqual([]);
  });

  it("the check finds violations planted in a page (an image without text, a nameless button, a frame), and runs again in a new document", async () => {
    const page = await run.newPage();
    await page.locator('form[name="logon"]').waitFor();
    expect(await violations(page)).toEqual([]);
    const planted =
      '<img id="planted-image" src="/favicon.ico"><button id="planted-button"></button><iframe src="about:blank"></iframe>';
    await page.evaluate(`document.body.insertAdjacentHTML("beforeend", ${JSON.stringify(planted)})`);
    const found = await violations(page);
    expect(found).toContain("image-alt: #planted-image");
    expect(found).toContain("button-name: #planted-button");
    expect(found).toContain("frame not checked: about:blank");
    // A new document has no axe of its own: the check puts it in again and finds the page clean.
    await page.reload();
    await page.locator('form[name="logon"]').waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it("finds no violation on any screen after logon in Japanese, on a desktop and on a phone", {
    timeout: 480_000,
  }, async () => {
    const page = await run.newPage();
    await logOnInBrowser(page, admin);
    expect(await checkLanguage(page, "ja")).toEqual([]);
    expect(run.errorsOf(page)).toEqual([]);
  });
});
