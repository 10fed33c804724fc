import type { ZlmJson } from "../zlm-json";

export type ApiBody = { [key: string]: ZlmJson | undefined };

/**
 * How ZLM finishes an API call. Thrown ApiRetExceptions (-100/-300/-500 with a
 * msg) close the connection and carry no Set-Cookie; generic exceptions (-400)
 * carry no Set-Cookie either but keep the connection; answers that are
 * returned (success, `{"code":-500}`, `-1`) carry the un-logged cookie.
 */
export type ApiAnswer = { kind: "returned"; body: ApiBody } | { kind: "thrown"; code: number; msg: string };

export const ok = (body: ApiBody = {}): ApiAnswer => ({ kind: "returned", body: { code: 0, ...body } });
export const returned = (body: ApiBody): ApiAnswer => ({ kind: "returned", body });
export const thrown = (code: number, msg: string): ApiAnswer => ({ kind: "thrown", code, msg });

/** CHECK_ARGS: the message always lists every required name. */
export function missingArgs(names: string[]): ApiAnswer {
  return thrown(-300, `Required parameter missed: ${names.map((n) => `"${n}"`).join(", ")}`);
}
