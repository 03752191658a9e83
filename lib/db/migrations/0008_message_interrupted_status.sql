ALTER TABLE "messages" DROP CONSTRAINT "messages_status_check";--> statement-breakpoint
CREATE INDEX "messages_streaming_idx" ON "messages" USING btree ("created_at") WHERE "messages"."status" = 'streaming';--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_status_check" CHECK ("messages"."status" in ('streaming', 'complete', 'stopped', 'interrupted', 'error'));