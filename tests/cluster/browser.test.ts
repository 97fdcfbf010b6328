import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { createDatabase, startHaproxy, startPostgres, startRedis } from '../helpers/services.ts'
import { createWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

const values = (page: Page) => page.locator('[data-section="values"]')

/** A short workshop in real browsers through HAProxy in front of two instances (issue 15). */
describe('a workshop through a load balancer', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step()
  })

  it('gathers, reveals and shows cards to everyone, with one participant pinned to each instance and one through the balancer', { timeout: 180_000 }, async () => {
    const postgres = await startPostgres()
    cleanup.push(() => postgres.stop())
    const redis = await startRedis()
    cleanup.push(() => redis.stop())
    const config = { databaseUrl: await createDatabase(postgres.url), redisUrl: redis.url, ideaBatchIntervalMs: 50 }
    const instances: TestServer[] = []
    for (let i = 0; i < 2; i++) instances.push(await startTestServer({ config }))
    cleanup.push(() => Promise.all(instances.map((instance) => instance.dispose())))
    const balancer = await startHaproxy(instances.map((instance) => ({ host: '127.0.0.1', port: instance.port })))
    cleanup.push(() => balancer.stop())

    const workshop = await createWorkshop({ url: balancer.url })
    expect(workshop.joinUrl.startsWith(balancer.url)).toBe(true)
    const browsers: TestBrowser[] = await Promise.all([openBrowser(), openBrowser(), openBrowser(), openBrowser()])
    cleanup.push(() => Promise.all(browsers.map((browser) => browser.close())))
    const [facilitatorBrowser, ...participantBrowsers] = browsers

    const facilitator = await facilitatorBrowser!.context.newPage()
    await facilitator.goto(workshop.facilitatorUrl)
    await facilitator.getByRole('link', { name: 'Open the board' }).click()
    await facilitator.locator('.tl-canvas').waitFor({ timeout: 30_000 })

    const texts = ['Everyone is listened to', 'No jargon', 'Be kind']
    const people: Page[] = []
    // One participant pinned to each instance (its own address), the third through the balancer.
    const origins = [instances[0]!.url, instances[1]!.url, balancer.url]
    for (const [i, browser] of participantBrowsers.entries()) {
      const page = await browser.context.newPage()
      await page.goto(workshop.joinUrl.replace(balancer.url, origins[i]!))
      await page.getByRole('button', { name: 'Join the workshop' }).click()
      await page.getByRole('button', { name: 'List' }).click()
      await values(page).getByLabel('Add an idea to “Our values”').fill(texts[i]!)
      await values(page).getByRole('button', { name: 'Add my idea' }).click()
      try {
        await expect.poll(() => values(page).locator('.my-idea').count(), { timeout: 15_000 }).toBe(1)
      } catch (e) {
        console.log('DIAG participant', i, await page.locator('body').innerText())
        throw e
      }
      people.push(page)
    }

    // Three people: the facilitator shows them at once, without "publish anyway".
    await values(facilitator).getByRole('button', { name: /Show all ideas/ }).click()
    for (const page of people) await expect.poll(() => values(page).locator('.idea-list .idea').count(), { timeout: 20_000 }).toBe(3)
    await expect.poll(() => facilitator.locator('.tl-shape[data-shape-type="idea-card"]').count(), { timeout: 20_000 }).toBe(3)
    // However requests and sockets were spread, only one instance holds its live state.
    expect(instances.filter((instance) => instance.rooms.isLoaded(workshop.workshopId))).toHaveLength(1)
  })
})
