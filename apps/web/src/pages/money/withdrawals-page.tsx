import { Grid, Stack } from '@mantine/core';
import { PageHeader } from '../../components/page-header';
import { useMoneyLive } from '../../hooks/use-money-live';
import { HistoryCard } from './withdrawals-history-card';
import { HowItWorksCard } from './withdrawals-how-it-works-card';
import classes from './withdrawals-page.module.css';
import { RequestCard } from './withdrawals-request-card';

/** Taking money out: request (the amount is held), follow the review, cancel while it waits. */
export function WithdrawalsPage() {
  useMoneyLive();
  return (
    <>
      <PageHeader
        eyebrow="Your money"
        title="Withdrawals"
        description="Ask for money from your wallet to be paid out to your bank. An administrator reviews every request."
      />
      <Stack gap="lg">
        <Grid gap="lg" align="stretch">
          <Grid.Col span={{ base: 12, md: 6 }} className={classes.fill}>
            <RequestCard />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }} className={classes.fill}>
            <HowItWorksCard />
          </Grid.Col>
        </Grid>
        <HistoryCard />
      </Stack>
    </>
  );
}
