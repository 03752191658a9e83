CREATE TABLE "shares" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"chat_id" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"file_ids" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "chosen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Chats written before versions were one line of messages in position order: each follows the one before it.
UPDATE "messages" AS m SET "parent_id" = prev."parent_id", "chosen" = m."position"
FROM (
	SELECT "owner_id", "id", lag("id") OVER (PARTITION BY "owner_id", "chat_id" ORDER BY "position") AS "parent_id"
	FROM "messages"
) AS prev
WHERE prev."owner_id" = m."owner_id" AND prev."id" = m."id";--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_chat_fk" FOREIGN KEY ("owner_id","chat_id") REFERENCES "public"."chats"("owner_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shares_chat_idx" ON "shares" USING btree ("owner_id","chat_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_chat_id_idx" ON "messages" USING btree ("owner_id","chat_id","id");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_fk" FOREIGN KEY ("owner_id","chat_id","parent_id") REFERENCES "public"."messages"("owner_id","chat_id","id") ON DELETE cascade ON UPDATE no action;
