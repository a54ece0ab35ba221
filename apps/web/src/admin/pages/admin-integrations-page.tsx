import { Box, Grid, Stack } from '@mantine/core';
import { IconActivity } from '@tabler/icons-react';
import { PageHeader } from '../../components/page-header';
import { SectionCard } from '../../components/section-card';
import { IngestStats } from '../components/ingest-overview';
import { ModelApiKeysSection } from '../components/model-api-keys-section';
import { DeliveriesSection } from './integrations-deliveries-section';
import { HeartbeatsSection } from './integrations-heartbeats-section';
import { WebhookSection } from './integrations-webhook-section';

/** ADMIN: the trading model's side of Tradepool: webhook URL and secrets, ingest, heartbeats, deliveries. */
export function AdminIntegrationsPage() {
  return (
    <>
      <PageHeader
        title="Integrations"
        description="The trading model webhook: its address and signing secrets, what arrives, and what was refused."
      />
      <Stack gap="lg">
        <Grid gap="lg" align="stretch">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <WebhookSection />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack gap="lg" h="100%">
              <SectionCard
                icon={IconActivity}
                title="Ingest"
                description="Deliveries per minute over the last hour."
                data-testid="ingest-section"
              >
                <IngestStats chartHeight={110} />
              </SectionCard>
              <Box style={{ flex: 1 }}>
                <HeartbeatsSection />
              </Box>
            </Stack>
          </Grid.Col>
        </Grid>
        <ModelApiKeysSection />
        <DeliveriesSection />
      </Stack>
    </>
  );
}
