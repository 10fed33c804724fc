import { notFound } from "@/lib/api/respond";

export const dynamic = "force-dynamic";

/** Any other /api path answers a JSON 404 (not Next's HTML page): API clients always get the error shape. */
async function handle(request: Request): Promise<Response> {
  return notFound(`no API at ${new URL(request.url).pathname.slice(0, 120)}`);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
