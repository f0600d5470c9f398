import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '@chat/runtime';
import { REPO_ROOT } from '@chat/testkit';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../../scripts/build';
import { launchChromium } from './chromium';
import { EmbeddedPlatform } from './platform';
import { bandedPng } from './png';

/** How long the page may take to show what the other user did. */
const SHOWN_MS = 10_000;

/** Set (e.g. `docs/screenshots`, by `pnpm screenshots`) to write screenshots of the main views. */
const SCREENSHOTS = process.env.CHAT_SCREENSHOTS_DIR;

const screenshot = async (page: Page, name: string) => {
  if (!SCREENSHOTS) return;
  const dir = join(REPO_ROOT, SCREENSHOTS);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
};

const messages = (page: Page) => page.getByRole('log', { name: 'Messages' });
/** A stored message (not one still being sent) in a list of messages. */
const stored = (list: Locator, text: string) => list.locator('li.message:not(.pending)', { hasText: text });
const message = (page: Page, text: string) => stored(messages(page), text);
const connection = (page: Page) => page.getByRole('status').filter({ hasText: /connect/i });

/** The seqs a page shows in its message list, in order. */
const seqsOf = (page: Page) =>
  messages(page)
    .locator('li.message[data-seq]')
    .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-seq'))));

const visible = (locator: Locator, timeout = SHOWN_MS) => locator.waitFor({ state: 'visible', timeout });

/** The SDK's reconnect backoff grows to 30 s (full jitter): the longest a page may wait to retry. */
const RECONNECT_MS = 35_000;

describe('the chat page in Chromium, two users against the embedded platform', () => {
  let platform: EmbeddedPlatform;
  let browser: Browser;
  let alice: Page;
  let bob: Page;

  const signIn = async (page: Page, user: string, shoot = false) => {
    await page.goto(platform.url);
    await visible(page.getByText('For development only.'));
    await page.getByLabel('User name').fill(user);
    if (shoot) await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).first().click();
    await visible(page.getByText(`Signed in as ${user}`));
    await visible(connection(page).getByText('Connected'));
  };

  const send = async (page: Page, text: string) => {
    const field = page.getByRole('main').getByRole('textbox');
    await field.fill(text);
    await field.press('Enter');
  };

  beforeAll(async () => {
    await buildPage();
    platform = await EmbeddedPlatform.start();
    browser = await launchChromium();
    const pageOfItsOwn = async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
      context.setDefaultTimeout(SHOWN_MS);
      return context.newPage();
    };
    // Two browser contexts: two users with nothing shared (storage, cookies, sockets).
    alice = await pageOfItsOwn();
    bob = await pageOfItsOwn();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('signs each user in with the development sign-in, marked as such', async () => {
    await signIn(alice, 'alice', true);
    await signIn(bob, 'bob');
  });

  it('refuses a token the platform did not sign, and says why', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(platform.url);
      const forged = await signToken('a-secret-that-is-not-the-platforms-own', { userId: 'mallory' });
      await page.getByLabel('Token', { exact: true }).fill(forged);
      await page.getByRole('button', { name: 'Sign in' }).last().click();
      await visible(page.getByRole('alert').filter({ hasText: /^Signed out: / }));
      await visible(page.getByLabel('Token', { exact: true }));
    } finally {
      await page.close();
    }
  });

  it('opens a direct room, which the other user sees appear, and chats both ways', async () => {
    await alice.getByLabel('Message a user').fill('bob');
    await alice.getByRole('button', { name: 'Open' }).click();
    await visible(alice.getByRole('heading', { name: 'bob', level: 2 }));

    const direct = bob.getByRole('navigation').getByRole('button', { name: /alice/ });
    await direct.click();
    await visible(bob.getByRole('heading', { name: 'alice', level: 2 }));

    await send(alice, 'Hi Bob! Lunch at noon?');
    await visible(message(bob, 'Hi Bob! Lunch at noon?'));
    await send(bob, 'Hello Alice, noon works');
    await visible(message(alice, 'Hello Alice, noon works'));
  });

  it('shows who is typing and who is online', async () => {
    await bob.getByRole('main').getByRole('textbox').pressSequentially('Let me ch');
    await visible(alice.getByText('bob is typing…'));
    await visible(alice.locator('.members li', { hasText: 'bob' }).getByRole('img', { name: 'online' }));
    await visible(bob.locator('.members li', { hasText: 'alice' }).getByRole('img', { name: 'online' }));
    await bob.getByRole('main').getByRole('textbox').fill('');
    // Sooner than an indicator lapses by itself (5 s): emptying the field said `stop`.
    await alice.getByText('bob is typing…').waitFor({ state: 'hidden', timeout: 3_000 });

    await bob.getByLabel('Your status').selectOption('away');
    await visible(alice.locator('.members li', { hasText: 'bob' }).getByRole('img', { name: 'away' }));
    await bob.getByLabel('Your status').selectOption('online');
    await visible(alice.locator('.members li', { hasText: 'bob' }).getByRole('img', { name: 'online' }));
  });

  it('reacts to a message, and the other user sees the count', async () => {
    await message(bob, 'Hi Bob!').getByRole('button', { name: 'React with 👍' }).click();
    await visible(message(alice, 'Hi Bob!').getByRole('button', { name: '👍 1' }));
    await visible(message(bob, 'Hi Bob!').getByRole('button', { name: '👍 1, including you' }));
  });

  it('replies in a thread in the side panel', async () => {
    await message(alice, 'noon works').getByRole('button', { name: 'Reply in thread' }).click();
    const thread = alice.getByRole('complementary', { name: 'Thread' });
    await visible(thread);
    await thread.getByRole('textbox', { name: 'Reply in thread' }).fill('Great, the usual place');
    await thread.getByRole('textbox', { name: 'Reply in thread' }).press('Enter');
    await visible(stored(thread, 'Great, the usual place'));
    await screenshot(alice, 'thread');

    await message(bob, 'noon works')
      .getByRole('button', { name: /1 reply/ })
      .click();
    await visible(stored(bob.getByRole('complementary', { name: 'Thread' }), 'Great, the usual place'));
    await bob.getByRole('button', { name: 'Close thread' }).click();
    await alice.getByRole('button', { name: 'Close thread' }).click();
  });

  it('uploads an image that both users see previewed and can download', async () => {
    await alice.locator('main input[type=file]').setInputFiles({
      name: 'bands.png',
      mimeType: 'image/png',
      buffer: bandedPng(96, 64),
    });
    for (const page of [alice, bob]) {
      const preview = page.getByRole('img', { name: 'Image bands.png' });
      await visible(preview);
      await expect
        .poll(() => preview.evaluate((image) => (image as HTMLImageElement).naturalWidth), {
          timeout: SHOWN_MS,
        })
        .toBe(96);
    }
    const [download] = await Promise.all([
      bob.waitForEvent('download', { timeout: SHOWN_MS }),
      bob.getByRole('button', { name: 'Download bands.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('bands.png');
    expect(readFileSync(await download.path())).toEqual(bandedPng(96, 64));
  });

  it('shows read receipts, edits and deletions', async () => {
    await visible(alice.getByText('Seen by bob').first());

    await send(alice, 'Typo in this mesage');
    await visible(message(bob, 'Typo in this mesage'));
    await message(alice, 'Typo in this mesage').getByRole('button', { name: 'Edit' }).click();
    const edit = alice.getByRole('textbox', { name: 'Edit message' });
    await edit.fill('No typo in this message');
    // The message changes while it is edited: the form stays, with what was typed.
    await message(bob, 'Typo in this mesage').getByRole('button', { name: 'React with 🎉' }).click();
    await visible(alice.getByRole('button', { name: '🎉 1' }));
    expect(await edit.inputValue()).toBe('No typo in this message');
    await edit.press('Enter');
    await visible(message(bob, 'No typo in this message').getByText('(edited)'));
    // The form closes once alice's page has the edit's answer, which may come after bob saw it.
    await edit.waitFor({ state: 'detached', timeout: SHOWN_MS });

    await send(alice, 'Never mind this one');
    await visible(message(bob, 'Never mind this one'));
    alice.once('dialog', (dialog) => void dialog.accept());
    await message(alice, 'Never mind this one').getByRole('button', { name: 'Delete' }).click();
    await visible(messages(bob).getByText('This message was deleted.'));
    await expect.poll(() => message(bob, 'Never mind this one').count()).toBe(0);
    await screenshot(alice, 'room');
  });

  it('finds messages, the words highlighted', async () => {
    await alice.getByRole('searchbox', { name: 'Search messages' }).fill('noon');
    await alice.getByRole('button', { name: 'Search', exact: true }).click();
    const results = alice.getByRole('complementary', { name: /results? for/ });
    await visible(results);
    await visible(results.locator('mark', { hasText: 'noon' }).first());
    await screenshot(alice, 'search');
    await results.getByRole('button', { name: /Lunch at noon/ }).click();
    await expect
      .poll(() => alice.evaluate(() => document.activeElement?.textContent ?? ''))
      .toContain('Lunch at noon');
    await alice.getByRole('button', { name: 'Close search' }).click();
  });

  it('names every control for assistive technology', async () => {
    const unnamed = await alice.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, input, textarea, select, [role=img]')]
        .filter((element) => element.closest('[hidden]') === null)
        .filter((element) => {
          const labels = (element as HTMLInputElement).labels?.length ?? 0;
          const named = element.getAttribute('aria-label') ?? element.getAttribute('aria-labelledby') ?? '';
          return labels === 0 && named === '' && (element.textContent ?? '').trim() === '';
        })
        .map((element) => element.outerHTML.slice(0, 120)),
    );
    expect(unnamed).toEqual([]);
  });

  it('fits a narrow screen: the rooms open from a button, over the room', async () => {
    await alice.setViewportSize({ width: 390, height: 760 });
    const rooms = alice.getByRole('navigation', { name: 'Rooms and direct messages' });
    const toggle = alice.getByRole('button', { name: 'Rooms', exact: true });
    await rooms.waitFor({ state: 'hidden', timeout: SHOWN_MS });
    await screenshot(alice, 'narrow');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await visible(rooms);
    await rooms.getByRole('button', { name: /bob/ }).click();
    await rooms.waitFor({ state: 'hidden', timeout: SHOWN_MS });
    await alice.setViewportSize({ width: 1200, height: 760 });
  });

  it('counts unread messages of a room not open', async () => {
    await bob
      .getByRole('navigation')
      .getByRole('button', { name: /general/i })
      .click();
    await visible(bob.getByRole('heading', { name: /# general/i, level: 2 }));
    await send(alice, 'Are you there?');
    await visible(bob.getByRole('navigation').getByRole('button', { name: /alice/ }).getByLabel('1 unread'));
    await bob.getByRole('navigation').getByRole('button', { name: /alice/ }).click();
    await visible(message(bob, 'Are you there?'));
  });

  it('creates a room, and loads its older history as one scrolls up', async () => {
    await alice.getByLabel('New room').fill('design');
    await alice.getByRole('button', { name: 'Create' }).click();
    await visible(alice.getByRole('heading', { name: '# design', level: 2 }));
    const roomId = decodeURIComponent(new URL(alice.url()).hash.slice(1));

    // A third user fills the room through the REST API: more than one page of history (50).
    const { token } = (await (
      await fetch(`${platform.url}/api/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 'carol' }),
      })
    ).json()) as { token: string };
    for (let note = 1; note <= 55; note += 1) {
      const posted = await fetch(`${platform.url}/api/rooms/${encodeURIComponent(roomId)}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: `Design note ${note}.` }),
      });
      expect(posted.status).toBe(201);
    }

    // A fresh page (the tab keeps its sign-in) reads the newest page, and the rest on scrolling up.
    await alice.reload();
    await visible(message(alice, 'Design note 55.'));
    expect(await message(alice, 'Design note 1.').count()).toBe(0);
    await messages(alice).evaluate((list) => list.scrollTo({ top: 0 }));
    await visible(message(alice, 'Design note 1.'));
    const seqs = await seqsOf(alice);
    expect(seqs).toEqual(Array.from({ length: 55 }, (_, index) => seqs[0]! + index));
    await alice.getByRole('navigation').getByRole('button', { name: /bob/ }).click();
    await visible(alice.getByRole('heading', { name: 'bob', level: 2 }));
    await visible(alice.locator('.members li', { hasText: 'bob' }));
    const preview = alice.getByRole('img', { name: 'Image bands.png' });
    await expect.poll(() => preview.evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBe(96);
  });

  it('survives a crash of the platform: a message sent meanwhile arrives, nothing is missing', async () => {
    await platform.kill();
    await visible(connection(alice).getByText(/reconnecting/));
    await send(alice, 'Sent while the server was down');
    await visible(alice.locator('li.pending', { hasText: 'Sent while the server was down' }));
    await visible(connection(alice).getByText('1 unsent message kept.', { exact: false }));
    await screenshot(alice, 'reconnecting');

    await platform.restart();
    await visible(message(bob, 'Sent while the server was down'), RECONNECT_MS);
    await visible(connection(alice).getByText('Connected'), RECONNECT_MS);
    await send(bob, 'Back again');
    await visible(message(alice, 'Back again'));

    const [seen, sent] = [await seqsOf(bob), await seqsOf(alice)];
    expect(seen).toEqual(sent);
    // Every seq of the room is there but the one thread reply, which lives in its thread.
    const missing = Array.from({ length: seen.at(-1)! }, (_, index) => index + 1).filter(
      (seq) => !seen.includes(seq),
    );
    expect(missing).toHaveLength(1);
  }, 120_000);
});
