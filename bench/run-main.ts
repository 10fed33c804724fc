/** A bench's entry: runs `main`, and on a failure prints it and exits non-zero (a bench that broke must not look like one that ran). */
export function runMain(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
