/** Slack incoming webhooks: a Block Kit message a person can read at a glance. */
import type { SlackChannelConfig } from '../../domain/index.js';
import { alertLines, dashboardUrl, model, title } from '../format.js';
import { type ChannelDriver, maskUrl } from './driver.js';

const HEADER_LIMIT = 150;
const SECTION_LIMIT = 3000;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Slack's mrkdwn treats these three characters as markup. */
function mrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export const slackDriver: ChannelDriver = {
  render({ channel, notification }) {
    const config = channel.config as unknown as SlackChannelConfig;
    const firing = notification.status === 'firing';
    const emoji = notification.kind === 'retrain' ? '🔁' : firing ? '🔥' : '✅';
    const heading = `${emoji} ${title(notification)}`;
    const context = Object.entries(notification.commonLabels)
      .filter(([name]) => name !== 'model')
      .map(([name, value]) => `*${mrkdwn(name)}*: ${mrkdwn(value)}`)
      .join('   ');
    const modelName = model(notification);
    const link = dashboardUrl(notification);
    const description = notification.commonAnnotations.summary ?? notification.commonAnnotations.description;
    const blocks: unknown[] = [
      { type: 'header', text: { type: 'plain_text', text: clip(heading, HEADER_LIMIT), emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(
            [
              modelName ? `*Model:* ${mrkdwn(modelName)}` : undefined,
              description ? mrkdwn(description) : undefined,
              context || undefined,
            ]
              .filter(Boolean)
              .join('\n') || mrkdwn(notification.groupKey),
            SECTION_LIMIT,
          ),
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(
            alertLines(notification)
              .map((line) => `• ${mrkdwn(line)}`)
              .join('\n'),
            SECTION_LIMIT,
          ),
        },
      },
    ];
    if (link) {
      blocks.push({
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open in Vigil' },
            url: link,
            ...(firing ? { style: 'danger' } : {}),
          },
        ],
      });
    }
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(`Vigil · group ${mrkdwn(notification.groupKey)}`, 300) }],
    });
    return {
      kind: 'http',
      url: config.url,
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil/1' },
      // `text` is the fallback shown in notifications and by clients without Block Kit.
      body: JSON.stringify({ text: heading, blocks }),
    };
  },
  redact(config) {
    return { ...config, url: maskUrl(config.url) };
  },
};
