"""UI strings of group webhooks (Slack, Discord, signed JSON), in Japanese and English."""

# One message a line, however long the sentence (as in messages.py).
# ruff: noqa: E501

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "ja": {
        "webhooks.title": "Webhook 連携",
        "webhooks.lead": "イベントの公開・変更・中止を Slack や Discord、任意のサーバーにお知らせします。参加用のオンライン URL は送りません。",
        "webhooks.kind": "送り先の種類",
        "webhooks.url": "Webhook URL",
        "webhooks.add": "Webhook を追加する",
        "webhooks.remove": "削除",
        "webhooks.empty": "登録されている Webhook はありません。",
        "webhooks.active": "有効",
        "webhooks.inactive": "停止中",
        "webhooks.last_status": "前回の送信",
        "webhooks.never_sent": "未送信",
        "webhooks.failures": "連続失敗",
        "webhooks.secret_title": "署名用シークレット",
        "webhooks.secret_once": "このシークレットは今回だけ表示されます。受信側の設定に控えてください。画面を移動すると二度と表示されません。",
        "webhooks.secret_help": "汎用 JSON の受信側は X-Tsudoi-Signature ヘッダーでこのシークレットによる署名を確認できます。",
        "webhooks.added": "Webhook を追加しました。",
        "error.invalid_webhook_url": "Webhook URL は http:// または https:// で始まる500文字以内の URL を入力してください。",
        "error.webhook_url_credentials": "URL にユーザー名やパスワードを含めないでください。",
        "error.webhook_url_not_public": "この URL には送信できません。インターネット上の公開サーバーの URL を指定してください。",
        "error.invalid_webhook_kind": "送り先の種類を選んでください。",
        "error.invalid_webhook_action": "不正なリクエストです。",
        "error.too_many_webhooks": "1つのグループに登録できる Webhook は10件までです。",
        "error.webhook_not_found": "Webhook が見つかりません。",
    },
    "en": {
        "webhooks.title": "Webhooks",
        "webhooks.lead": "Announce published, changed and cancelled events in Slack, Discord or on any server. Online join links are never sent.",
        "webhooks.kind": "Receiver type",
        "webhooks.url": "Webhook URL",
        "webhooks.add": "Add webhook",
        "webhooks.remove": "Remove",
        "webhooks.empty": "No webhooks yet.",
        "webhooks.active": "Active",
        "webhooks.inactive": "Paused",
        "webhooks.last_status": "Last delivery",
        "webhooks.never_sent": "Not sent yet",
        "webhooks.failures": "Failures in a row",
        "webhooks.secret_title": "Signing secret",
        "webhooks.secret_once": "This secret is shown only now. Copy it into your receiver's settings: it will not be shown again once you leave this page.",
        "webhooks.secret_help": "Generic JSON receivers can check the X-Tsudoi-Signature header, signed with this secret.",
        "webhooks.added": "Webhook added.",
        "error.invalid_webhook_url": "Enter a URL starting with http:// or https://, at most 500 characters.",
        "error.webhook_url_credentials": "The URL must not contain a user name or password.",
        "error.webhook_url_not_public": "This URL cannot be used. Give the URL of a public server on the internet.",
        "error.invalid_webhook_kind": "Choose a receiver type.",
        "error.invalid_webhook_action": "This request is not valid.",
        "error.too_many_webhooks": "A group can have at most 10 webhooks.",
        "error.webhook_not_found": "Webhook not found.",
    },
}
