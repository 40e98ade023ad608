/**
 * discord_reconnect_loop: a 2026.4.14 gateway (Discord was still bundled) on a flaky network.
 * The Discord gateway socket keeps closing with 1006 and Carbon schedules a zombie-connection
 * reconnect every few seconds; the health monitor restarts the channel, the channel exits and
 * auto-restarts. Telegram polling on the same host fails with network errors.
 */
import { gatewayLog, type Scenario } from "./lines.ts";

const RECONNECTS_PER_BURST = 3;

export const discordReconnectLoop: Scenario = {
  host: "discord-reconnect-loop",
  fires: [
    { alertname: "OpenClawChannelReconnectLoop", labels: { openclaw_channel: "discord", openclaw_reason: "zombie" } },
    { alertname: "OpenClawChannelNetworkErrors", labels: { openclaw_channel: "telegram" } },
  ],
  burst(i, now) {
    const log = gatewayLog("4.14", now);
    log.chatter(2);
    for (let r = 0; r < RECONNECTS_PER_BURST; r++) {
      const delay = 2500 + 125 * r + 10 * i;
      // Carbon's text arrives twice: as logVerbose (pattern D) and promoted to INFO.
      log.d("discord gateway: Gateway websocket closed: 1006");
      log.a("gateway/channels/discord", "INFO", "discord gateway: Gateway websocket closed: 1006");
      log.d(`discord gateway: Gateway reconnect scheduled in ${delay}ms (zombie, resume=true)`);
      log.a("gateway/channels/discord", "INFO", `discord gateway: Gateway reconnect scheduled in ${delay}ms (zombie, resume=true)`);
    }
    log.d("discord gateway warning: High latency detected: 2400ms");
    log.a("gateway/health-monitor", "INFO", "[discord:default] health-monitor: restarting (reason: stale-socket)");
    log.a("gateway/channels/discord", "ERROR", "[default] channel exited: Gateway closed with code 1006");
    log.a("gateway/channels/discord", "INFO", `[default] auto-restart attempt ${i + 1}/10 in 5s`);
    log.a("gateway/channels/telegram", "ERROR", "Telegram network error: Network request for 'getUpdates' failed! | fetch failed; retrying in 2.1s.");
    log.a("gateway/channels/telegram", "ERROR", "\u001b[31mtelegram final reply failed: HttpError: Network request for 'sendMessage' failed!\u001b[39m");
    return { log: log.done() };
  },
};
