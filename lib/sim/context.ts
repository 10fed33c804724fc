import type { HookBody, HookReply } from "./hook-client";
import type { EmulatorKnobs, StreamKnobs } from "./knobs";
import type { MediaRegistry } from "./media-registry";

/** What a receiver needs from the emulator around it. */
export interface SimContext {
  readonly media: MediaRegistry;
  readonly knobs: EmulatorKnobs;
  streamKnobs(streamId: string): StreamKnobs;
  config(key: string): string;
  configNumber(key: string, fallback: number): number;
  sendHook(name: string, body: HookBody): Promise<HookReply | null>;
  now(): number;
  log(line: string): void;
}
