#!/usr/bin/env node
// Prints a bcrypt hash for PORTSCOPE_USERS / PORTSCOPE_USERS_FILE. Reads the
// password from stdin (not the command line, which ends up in shell history):
//   node scripts/hash-password.mjs            (type it, then Enter)
//   printf %s "$PW" | node scripts/hash-password.mjs
import bcrypt from "bcryptjs";

let input = "";
process.stdin.setEncoding("utf8");
if (process.stdin.isTTY) process.stderr.write("password: ");
process.stdin.on("data", (c) => {
  input += c;
  if (process.stdin.isTTY && input.includes("\n")) process.stdin.pause();
});
process.stdin.on("pause", done);
process.stdin.on("end", done);
let printed = false;
function done() {
  if (printed) return;
  printed = true;
  const password = input.replace(/\r?\n$/, "");
  if (password.length < 8) {
    console.error("use at least 8 characters");
    process.exit(1);
  }
  console.log(bcrypt.hashSync(password, 12));
}
