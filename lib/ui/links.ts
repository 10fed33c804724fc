/** The investigation page of an RTP key (`vhost/app/stream_id`): a shareable permalink. */
export function streamHref(key: string): string {
  return `/streams/${key.split("/").map(encodeURIComponent).join("/")}`;
}
