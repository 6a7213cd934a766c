// An Element-engine client for the end-to-end tests: matrix-js-sdk with its Rust crypto (the
// engine of Element and of Tchap's web client), driven by tests/e2e/test_element_client.py.
//
// Input: one JSON object on argv[2]:
//   { homeserver, user_id, password, bot_user_id, commands: ["aide", ...],
//     isolation: "only_signed" | "all", blacklist_unverified, reply_timeout_s, total_timeout_s }
// What it does: logs in, sets up its own cross-signing, opens an encrypted direct room with the
// bot, sends each command and waits for the bot's reply to it (a decrypted notice replying to the
// command). Output: one JSON object on stdout (logs go to stderr):
//   { ok, error?, room_id, replies: [{command, body, decrypted, shield_colour, shield_reason,
//     sender_device}], bot_devices: {device_id: {signed_by_owner, cross_signing_verified,
//     local_verified}}, bot_identity: {...}, undecrypted: [...] }
import "fake-indexeddb/auto"; // the Rust crypto wants an IndexedDB even when its store is in memory
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import {
    AllDevicesIsolationMode,
    EventShieldColour,
    EventShieldReason,
    OnlySignedDevicesIsolationMode,
} from "matrix-js-sdk/lib/crypto-api/index.js";

logger.setLevel(process.env.JS_SDK_LOG_LEVEL || "warn");
// js-sdk logs to the console: keep stdout for our JSON.
for (const level of ["trace", "debug", "info", "log", "warn", "error"]) {
    console[level] = (...args) => process.stderr.write(args.map(String).join(" ") + "\n");
}

const input = JSON.parse(process.argv[2]);
const out = { ok: false, replies: [], bot_devices: {}, undecrypted: [] };
const started = Date.now();
out.timings_ms = {};
const mark = (what) => {
    out.timings_ms[what] = Date.now() - started;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function shieldName(colour, reason) {
    const colours = Object.fromEntries(Object.entries(EventShieldColour).map(([k, v]) => [v, k]));
    const reasons = Object.fromEntries(Object.entries(EventShieldReason).map(([k, v]) => [v, k]));
    return [colours[colour] ?? String(colour), reason === null ? null : (reasons[reason] ?? String(reason))];
}

async function waitFor(what, seconds, test) {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = await test();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
        await sleep(200);
    }
}

async function main() {
    const login = await sdk.createClient({ baseUrl: input.homeserver }).loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: input.user_id },
        password: input.password,
        initial_device_display_name: "js-sdk test client",
    });
    const client = sdk.createClient({
        baseUrl: input.homeserver,
        userId: login.user_id,
        deviceId: login.device_id,
        accessToken: login.access_token,
    });
    await client.initRustCrypto({ useIndexedDB: false });
    const crypto = client.getCrypto();
    crypto.setDeviceIsolationMode(
        input.isolation === "all" ? new AllDevicesIsolationMode(false) : new OnlySignedDevicesIsolationMode(),
    );
    // Element's "Never send encrypted messages to unverified sessions": keys withheld (m.unverified).
    crypto.globalBlacklistUnverifiedDevices = Boolean(input.blacklist_unverified);
    const decryptionFailures = [];
    client.on(sdk.MatrixEventEvent.Decrypted, (event, error) => {
        if (event.isDecryptionFailure()) {
            decryptionFailures.push({
                event_id: event.getId(),
                sender: event.getSender(),
                reason: String(event.decryptionFailureReason ?? error),
            });
        }
    });
    await client.startClient({ initialSyncLimit: 20 });
    await waitFor("the first sync", 60, () => client.isInitialSyncComplete());
    mark("first_sync");

    // Our own cross-signing, as Element sets it up for a new account.
    await crypto.bootstrapCrossSigning({
        authUploadDeviceSigningKeys: async (makeRequest) => {
            await makeRequest({
                type: "m.login.password",
                identifier: { type: "m.id.user", user: input.user_id },
                password: input.password,
            });
        },
    });
    out.own_cross_signing_ready = await crypto.isCrossSigningReady();
    mark("own_cross_signing");

    const { room_id: roomId } = await client.createRoom({
        is_direct: true,
        preset: "trusted_private_chat",
        invite: [input.bot_user_id],
        initial_state: [
            { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
        ],
    });
    out.room_id = roomId;
    await waitFor("the bot to join", 60, () => {
        const member = client.getRoom(roomId)?.getMember(input.bot_user_id);
        return member?.membership === "join";
    });
    mark("bot_joined");
    // Its devices: the Rust crypto shares the room key only with devices it knows.
    await waitFor("the bot's devices", 30, async () => {
        const devices = await crypto.getUserDeviceInfo([input.bot_user_id], true);
        return (devices.get(input.bot_user_id)?.size ?? 0) > 0;
    });

    for (const command of input.commands) {
        const { event_id: commandId } = await client.sendEvent(roomId, "m.room.message", {
            msgtype: "m.text",
            body: command,
        });
        let reply;
        try {
            reply = await waitFor(`the reply to "${command}"`, input.reply_timeout_s ?? 60, () => {
                const timeline = client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
                return timeline.find(
                    (event) =>
                        event.getSender() === input.bot_user_id &&
                        !event.isBeingDecrypted() &&
                        (event.isDecryptionFailure() ||
                            event.getContent()["m.relates_to"]?.["m.in_reply_to"]?.event_id === commandId),
                );
            });
        } catch (error) {
            out.replies.push({ command, command_id: commandId, body: null, error: String(error) });
            continue;
        }
        mark(`reply ${out.replies.length + 1}`);
        const info = await crypto.getEncryptionInfoForEvent(reply);
        const [colour, reason] = info ? shieldName(info.shieldColour, info.shieldReason) : [null, null];
        out.replies.push({
            command,
            command_id: commandId,
            body: reply.isDecryptionFailure() ? null : reply.getContent().body,
            decrypted: reply.isEncrypted() && !reply.isDecryptionFailure(),
            decryption_failure: reply.isDecryptionFailure() ? String(reply.decryptionFailureReason) : null,
            shield_colour: colour,
            shield_reason: reason,
            sender_device: reply.getWireContent().device_id ?? null,
        });
    }

    for (const userId of [input.bot_user_id]) {
        const devices = await crypto.getUserDeviceInfo([userId], true);
        for (const deviceId of devices.get(userId)?.keys() ?? []) {
            const status = await crypto.getDeviceVerificationStatus(userId, deviceId);
            out.bot_devices[deviceId] = {
                user_id: userId,
                signed_by_owner: status?.signedByOwner ?? false,
                cross_signing_verified: status?.crossSigningVerified ?? false,
                local_verified: status?.localVerified ?? false,
            };
        }
    }
    const identity = await crypto.getUserVerificationStatus(input.bot_user_id);
    out.bot_identity = {
        is_cross_signing_verified: identity.isCrossSigningVerified(),
        was_cross_signing_verified: identity.wasCrossSigningVerified(),
    };
    out.undecrypted = decryptionFailures;
    out.ok = true;
    client.stopClient();
}

const watchdog = setTimeout(() => {
    out.error = "the whole run took too long";
    process.stdout.write(JSON.stringify(out) + "\n");
    process.exit(3);
}, (input.total_timeout_s ?? 240) * 1000);

main()
    .catch((error) => {
        out.error = String(error?.stack ?? error);
    })
    .finally(() => {
        clearTimeout(watchdog);
        process.stdout.write(JSON.stringify(out) + "\n");
        process.exit(out.ok ? 0 : 1);
    });
