import { Card, Grid, Group, SimpleGrid, Stack, Text, ThemeIcon, Timeline, Title } from '@mantine/core';
import {
  type Icon,
  IconChartLine,
  IconCircleCheck,
  IconFlag,
  IconInfoCircle,
  IconPlayerPlay,
  IconPointFilled,
  IconStack2,
  IconUsersGroup,
  IconWallet,
} from '@tabler/icons-react';
import { PageHeader } from '../components/page-header';
import { CardHeading } from '../components/section-card';
import { ServerStatusCard } from '../components/server-status-card';

interface Feature {
  icon: Icon;
  color: string;
  title: string;
  body: string;
}

const FEATURES: readonly Feature[] = [
  {
    icon: IconStack2,
    color: 'ocean',
    title: 'Trading pools',
    body: 'Each pool raises money for a set window, trades until its end date, then settles. Your shares are priced at the pool’s value when you buy, so everyone owns their fair part.',
  },
  {
    icon: IconChartLine,
    color: 'teal',
    title: 'Live trading',
    body: 'Trades, positions and profit and loss stream in the moment the pool’s trading model reports them. Follow every move as it happens, not at the end of the day.',
  },
  {
    icon: IconWallet,
    color: 'grape',
    title: 'Wallet and subscription',
    body: 'A $2 monthly subscription lets you invest. Fund your wallet, buy shares in the pools you like, and withdraw your balance once an admin approves it.',
  },
];

/** Rules an investor meets first, as the contract states them; no numbers beyond the ones the rules fix. */
const GOOD_TO_KNOW: readonly string[] = [
  'Investing needs an active subscription; funding your wallet does not.',
  'Each pool sets a minimum investment and a target. You can invest up to the capacity it has left.',
  'Withdrawals are held as soon as you ask and paid out once an admin approves them.',
  'Amounts are in US dollars, exact to the cent.',
];

const LIFECYCLE: ReadonlyArray<{ icon: Icon; title: string; body: string }> = [
  {
    icon: IconUsersGroup,
    title: 'Raising',
    body: 'Investors buy shares before the start date. Until trading begins you can cancel for a full refund.',
  },
  {
    icon: IconPlayerPlay,
    title: 'Trading',
    body: 'From the start date the model trades the pool’s capital, and the value of every share moves with its results.',
  },
  {
    icon: IconFlag,
    title: 'Closed',
    body: 'At the end date trading stops and the pool’s final value is worked out.',
  },
  {
    icon: IconCircleCheck,
    title: 'Settled',
    body: 'Proceeds go back to each investor’s wallet, less the pool’s performance fee on any profit.',
  },
];

function FeatureCard({ feature }: { feature: Feature }) {
  return (
    <Card h="100%">
      <Stack gap="sm">
        <ThemeIcon variant="light" color={feature.color} size={44} radius="md">
          <feature.icon size={24} stroke={1.6} />
        </ThemeIcon>
        <Title order={3} size="h4">
          {feature.title}
        </Title>
        <Text size="sm" c="dimmed" lh={1.6}>
          {feature.body}
        </Text>
      </Stack>
    </Card>
  );
}

/** The investor landing page: what Tradepool is, how a pool runs, and whether the server is there. */
export function OverviewPage() {
  return (
    <>
      <PageHeader
        eyebrow="Overview"
        documentTitle="Overview"
        title="Invest together in time‑boxed trading pools"
        description="Tradepool gathers money from many investors into pools that a trading model runs for a fixed period. You watch every trade live, and when a pool ends its proceeds return to your wallet."
      />

      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg" mb="xl">
        {FEATURES.map((feature) => (
          <FeatureCard key={feature.title} feature={feature} />
        ))}
      </SimpleGrid>

      <Grid gap="lg" align="stretch">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card h="100%">
            <Title order={2} size="h4" mb={4}>
              The life of a pool
            </Title>
            <Text size="sm" c="dimmed" mb="lg">
              Every pool follows the same path, and you can see where each one stands at any time.
            </Text>
            <Timeline active={-1} bulletSize={30} lineWidth={2} color="ocean">
              {LIFECYCLE.map((stage) => (
                <Timeline.Item
                  key={stage.title}
                  bullet={<stage.icon size={16} stroke={1.8} />}
                  title={
                    <Text fw={600} size="sm">
                      {stage.title}
                    </Text>
                  }
                >
                  <Text size="sm" c="dimmed" lh={1.55}>
                    {stage.body}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <ServerStatusCard />
            <Card>
              <CardHeading icon={IconInfoCircle} color="gray" mb="md">
                Good to know
              </CardHeading>
              <Stack component="ul" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
                {GOOD_TO_KNOW.map((line) => (
                  <Group component="li" key={line} gap="sm" wrap="nowrap" align="flex-start">
                    <IconPointFilled
                      size={12}
                      color="var(--mantine-color-ocean-filled)"
                      style={{ flexShrink: 0, marginTop: 5 }}
                      aria-hidden
                    />
                    <Text size="sm" c="dimmed" lh={1.5}>
                      {line}
                    </Text>
                  </Group>
                ))}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
