import { test as setup } from "@playwright/test";
import { signIn, storageStateOf, type Role } from "./auth";

/** One signed-in state per demo account, saved for the specs (playwright.config.ts "setup" project). */
for (const role of ["viewer", "operator", "admin"] as Role[]) {
  setup(`sign in as ${role}`, async ({ request }) => {
    await signIn(request, role);
    await request.storageState({ path: storageStateOf(role) });
  });
}
