/** Bodies of the actions API, validated at the edge. */
import { z } from "zod";

const keyFields = {
  stream_id: z.string().min(1).max(200),
  vhost: z.string().min(1).max(200).optional(),
  app: z.string().min(1).max(200).optional(),
};

export const closeRequestSchema = z.object({ ...keyFields, reason: z.string().min(3, "say why (at least 3 characters)").max(500) }).strict();

export const reopenRequestSchema = z
  .object({
    ...keyFields,
    /** Keep the holder's port, tcp_mode and SSRC (the default); the fields below override one by one. */
    keep: z.boolean().optional(),
    port: z.number().int().min(0).max(65535).optional(),
    tcp_mode: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    ssrc: z.number().int().min(0).max(4294967295).optional(),
    re_use_port: z.boolean().optional(),
    reason: z.string().min(3, "say why (at least 3 characters)").max(500),
    /** The operator confirmed closing a server that still holds the key. */
    confirmClose: z.boolean().default(false),
  })
  .strict();

/** What the action dialog reads before anything is touched. */
export const preflightRequestSchema = z.object(keyFields).strict();
export type PreflightRequest = z.infer<typeof preflightRequestSchema>;

export const pauseRequestSchema = z.object({ ...keyFields, pause_seconds: z.number().int().min(1).max(3600).optional(), reason: z.string().min(3).max(500) }).strict();

/** Changing rtp_proxy.timeoutSec changes how long every waiting server blocks its key. */
export const timeoutRequestSchema = z.object({ timeoutSec: z.number().int().min(1).max(3600), reason: z.string().min(3, "say why (at least 3 characters)").max(500) }).strict();
export type TimeoutRequest = z.infer<typeof timeoutRequestSchema>;

export type CloseRequest = z.infer<typeof closeRequestSchema>;
export type ReopenRequest = z.infer<typeof reopenRequestSchema>;
export type PauseRequest = z.infer<typeof pauseRequestSchema>;
