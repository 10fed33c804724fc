/** Cookie and header names shared by the server and the browser's fetches. */
export const SESSION_COOKIE = "portscope_session";
export const CSRF_COOKIE = "portscope_csrf";
export const CSRF_HEADER = "x-csrf-token";
