/** getApiList of ZLM master fdaec26 (observed; sorted case-insensitively by ZLM). */
export const ZLM_API_LIST: readonly string[] = [
  "/index/",
  ...[
    "addFFmpegSource", "addProbe", "addStreamProxy", "addStreamPusherProxy", "broadcastMessage", "close_stream",
    "close_streams", "closeRtpServer", "connectRtpServer", "deleteRecordDirectory", "deleteSnapDirectory",
    "delFFmpegSource", "delStreamProxy", "delStreamPusherProxy", "downloadBin", "downloadFile", "getAllSession",
    "getApiList", "getMediaInfo", "getMediaList", "getMediaPlayerList", "getMP4RecordFile", "getProxyInfo",
    "getProxyPusherInfo", "getRtpInfo", "getServerConfig", "getSnap", "getStatistic", "getStreamUrl",
    "getThreadsLoad", "getWorkThreadsLoad", "isMediaOnline", "isRecording", "kick_session", "kick_sessions",
    "listFFmpegSource", "listRtpSender", "listRtpServer", "listStreamProxy", "listStreamPusherProxy",
    "loadMP4File", "login", "logout", "openRtpServer", "openRtpServerMultiplex", "pauseRtpCheck", "pauseStream",
    "restartServer", "resumeRtpCheck", "searchOnvifDevice", "seekRecordStamp", "seekStream", "setRecordSpeed",
    "setServerConfig", "setStreamSpeed", "startRecord", "startRecordTask", "startSendRtp", "startSendRtpPassive",
    "startSendRtpTalk", "stopRecord", "stopSendRtp", "updateRtpServerSSRC", "version",
  ].map((name) => `/index/api/${name}`),
];

/** The build ZLM reports; the emulator follows master at this commit (zlm-reference §0). */
export const ZLM_BUILD = {
  current: { branchName: "master", commitHash: "fdaec26", commitTime: "2026-08-21T13:22:38+08:00" },
  // ZLM prints these when built without git metadata; used for the pre-June-2024 teardown mode.
  legacy: { branchName: "Git_Unkown_branch", commitHash: "Git_Unkown_commit", commitTime: "2024-05-31T00:00:00+08:00" },
} as const;

export const CONCURRENT_OPEN_ASSERTION =
  "Assertion failed: (it.second), function makeWithAction, file /opt/zlmediakit/server/WebApi.h, line 339.";
