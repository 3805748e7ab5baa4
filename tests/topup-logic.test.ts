// The guided top-up's pure logic: the step list, the stepper reducer and the suggested amount.
import { describe, expect, it } from 'vitest'
import { EXTERNAL_PAGES } from '../src/shared/ipc'
import {
  AMOUNT_STEP_INDEX,
  NO_SPEND_SUGGESTION,
  OPENAI_MINIMUM_TOP_UP,
  RECORD_STEP_INDEX,
  SKIP_TO_BILLING_INDEX,
  STEP_COUNT,
  TOP_UP_STEPS,
  bodyParts,
  initialTopUpState,
  suggestTopUp,
  topUpPresets,
  topUpProgress,
  topUpReducer,
  type TopUpAction,
  type TopUpState
} from '../src/shared/topup'

const run = (actions: TopUpAction[], start: TopUpState = initialTopUpState()): TopUpState =>
  actions.reduce(topUpReducer, start)

describe('the steps', () => {
  it('follow the way credit is added: log in, settings, billing, add, amount, confirm, auto-recharge, then record', () => {
    expect(TOP_UP_STEPS.map((s) => s.id)).toEqual([
      'login',
      'settings',
      'billing',
      'add',
      'amount',
      'confirm',
      'autoRecharge',
      'record'
    ])
    expect(TOP_UP_STEPS.filter((s) => s.optional).map((s) => s.id)).toEqual(['autoRecharge'])
  })

  it('open pages the app may open: login first, billing for adding credit, payment methods as the alternative', () => {
    const byId = Object.fromEntries(TOP_UP_STEPS.map((s) => [s.id, s]))
    expect(byId.login?.page).toBe('login')
    expect(byId.billing?.page).toBe('billing')
    expect(byId.add?.page).toBe('billing')
    expect(byId.add?.alternative?.page).toBe('paymentMethods')
    expect(byId.record?.page).toBeNull()
    for (const step of TOP_UP_STEPS) {
      if (step.page !== null) {
        expect(Object.hasOwn(EXTERNAL_PAGES, step.page)).toBe(true)
        expect(step.openLabel).toBeTruthy()
      }
      expect(step.title.length).toBeGreaterThan(0)
      expect(step.body.length).toBeGreaterThan(0)
    }
  })

  it('name the buttons the user will see on OpenAI’s pages', () => {
    const labels = TOP_UP_STEPS.flatMap((s) =>
      bodyParts(s.body)
        .filter((p) => p.label)
        .map((p) => p.text)
    )
    expect(labels).toEqual(
      expect.arrayContaining([
        'Settings',
        'Billing',
        'Add to credit balance',
        'Add payment details',
        'amount',
        'payment method',
        'Continue',
        'Confirm payment',
        'Auto-recharge'
      ])
    )
  })

  it('bodyParts splits at **labels** and keeps the text around them', () => {
    expect(bodyParts('Click **Continue**, then **Confirm**.')).toEqual([
      { text: 'Click ', label: false },
      { text: 'Continue', label: true },
      { text: ', then ', label: false },
      { text: 'Confirm', label: true },
      { text: '.', label: false }
    ])
    expect(bodyParts('no labels')).toEqual([{ text: 'no labels', label: false }])
  })

  it('well-known indexes point at their steps', () => {
    expect(TOP_UP_STEPS[AMOUNT_STEP_INDEX]?.id).toBe('amount')
    expect(TOP_UP_STEPS[SKIP_TO_BILLING_INDEX]?.id).toBe('add')
    expect(TOP_UP_STEPS[RECORD_STEP_INDEX]?.id).toBe('record')
    expect(RECORD_STEP_INDEX).toBe(STEP_COUNT - 1)
  })
})

describe('suggestTopUp', () => {
  it('suggests burn rate × days rounded up to whole dollars ($3.40/day for 30 days is $102)', () => {
    expect(suggestTopUp(3.4, 30)).toEqual({
      amount: 102,
      days: 30,
      basis: 'burnRate',
      lastsDays: 30
    })
    expect(suggestTopUp(3.41, 30).amount).toBe(103) // 102.30 → 103: never a few cents short
    expect(suggestTopUp(2.5, 7).amount).toBe(18) // 17.50 → 18
  })

  it('is never below OpenAI’s $5 minimum, and says so', () => {
    const s = suggestTopUp(0.2, 7)
    expect(s.amount).toBe(OPENAI_MINIMUM_TOP_UP)
    expect(s.basis).toBe('minimum')
    expect(s.lastsDays).toBeCloseTo(25)
    expect(suggestTopUp(0.2, 7, 10).amount).toBe(10)
  })

  it('exactly the minimum counts as a burn-rate suggestion', () => {
    expect(suggestTopUp(1, 5)).toMatchObject({ amount: 5, basis: 'burnRate' })
  })

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'without a usable burn rate (%s) suggests a fixed default, not $0',
    (rate) => {
      const s = suggestTopUp(rate, 30)
      expect(s).toEqual({
        amount: NO_SPEND_SUGGESTION,
        days: 30,
        basis: 'noSpend',
        lastsDays: null
      })
      expect(s.amount).toBeGreaterThanOrEqual(OPENAI_MINIMUM_TOP_UP)
    }
  )

  it('a default below a higher minimum is raised to that minimum', () => {
    expect(suggestTopUp(0, 30, 50).amount).toBe(50)
  })
})

describe('topUpPresets', () => {
  it('a week, a month and a quarter at the burn rate', () => {
    expect(topUpPresets(3.4).map((p) => [p.days, p.amount, p.basis])).toEqual([
      [7, 24, 'burnRate'], // 23.80
      [30, 102, 'burnRate'],
      [90, 306, 'burnRate']
    ])
  })

  it('short periods at a tiny burn rate become the minimum', () => {
    expect(topUpPresets(0.1).map((p) => p.amount)).toEqual([5, 5, 9])
    expect(topUpPresets(0.1).map((p) => p.basis)).toEqual(['minimum', 'minimum', 'burnRate'])
  })

  it('none without a burn rate (there is nothing to scale)', () => {
    expect(topUpPresets(0)).toEqual([])
    expect(topUpPresets(Number.NaN)).toEqual([])
  })
})

describe('the stepper', () => {
  it('starts on the first step with nothing done', () => {
    const s = initialTopUpState()
    expect(s).toEqual({
      index: 0,
      completed: [],
      chosenAmount: null,
      recordMode: 'topUp',
      recorded: false
    })
    expect(topUpProgress(s)).toBe(0)
  })

  it('Next completes the current step and moves on; Back moves back and keeps what was done', () => {
    const s = run([{ type: 'next' }, { type: 'next' }, { type: 'back' }])
    expect(s.index).toBe(1)
    expect(s.completed).toEqual(['login', 'settings'])
    expect(topUpProgress(s)).toBe(2 / STEP_COUNT)
  })

  it('stops at both ends', () => {
    expect(run([{ type: 'back' }]).index).toBe(0)
    const end = run(Array.from({ length: STEP_COUNT + 3 }, () => ({ type: 'next' }) as const))
    expect(end.index).toBe(STEP_COUNT - 1)
    // The record step is completed by recording, not by Next.
    expect(end.completed).not.toContain('record')
    expect(end.completed).toHaveLength(STEP_COUNT - 1)
  })

  it('jumps to any step, clamped to the list; a jump does not mark steps done', () => {
    expect(run([{ type: 'jump', index: 5 }])).toMatchObject({ index: 5, completed: [] })
    expect(run([{ type: 'jump', index: 99 }]).index).toBe(STEP_COUNT - 1)
    expect(run([{ type: 'jump', index: -3 }]).index).toBe(0)
    expect(run([{ type: 'jump', index: 2.5 }]).index).toBe(0)
  })

  it('keeps completed steps in step order without duplicates', () => {
    const s = run([
      { type: 'jump', index: 3 },
      { type: 'next' },
      { type: 'jump', index: 0 },
      { type: 'next' },
      { type: 'back' },
      { type: 'next' }
    ])
    expect(s.completed).toEqual(['login', 'add'])
  })

  it('skip to billing lands on "Add to credit balance" with the way there done', () => {
    const s = run([{ type: 'skipToBilling' }])
    expect(TOP_UP_STEPS[s.index]?.id).toBe('add')
    expect(s.completed).toEqual(['login', 'settings', 'billing'])
  })

  it('remembers the chosen amount; refuses zero, negative and non-numbers', () => {
    const s = run([{ type: 'chooseAmount', amount: 102 }])
    expect(s.chosenAmount).toBe(102)
    expect(run([{ type: 'chooseAmount', amount: 0 }], s).chosenAmount).toBe(102)
    expect(run([{ type: 'chooseAmount', amount: -5 }], s).chosenAmount).toBe(102)
    expect(run([{ type: 'chooseAmount', amount: Number.NaN }], s).chosenAmount).toBe(102)
  })

  it('switches what to record, and can start in balance mode', () => {
    expect(run([{ type: 'setRecordMode', mode: 'balance' }]).recordMode).toBe('balance')
    expect(initialTopUpState({ recordMode: 'balance' }).recordMode).toBe('balance')
  })

  it('recording finishes the flow: every step done, and nothing moves it any more', () => {
    const done = run([{ type: 'jump', index: RECORD_STEP_INDEX }, { type: 'recorded' }])
    expect(done.recorded).toBe(true)
    expect(topUpProgress(done)).toBe(1)
    expect(
      run([{ type: 'back' }, { type: 'jump', index: 0 }, { type: 'chooseAmount', amount: 5 }], done)
    ).toBe(done)
  })
})
