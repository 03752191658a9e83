CREATE TABLE "chats" (
	"owner_id" text NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"model" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chats_pkey" PRIMARY KEY("owner_id","id")
);
--> statement-breakpoint
CREATE TABLE "files" (
	"owner_id" text NOT NULL,
	"id" text NOT NULL,
	"sha256" text NOT NULL,
	"media_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "files_pkey" PRIMARY KEY("owner_id","id")
);
--> statement-breakpoint
CREATE TABLE "message_files" (
	"owner_id" text NOT NULL,
	"message_id" text NOT NULL,
	"file_id" text NOT NULL,
	CONSTRAINT "message_files_pkey" PRIMARY KEY("owner_id","message_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"owner_id" text NOT NULL,
	"id" text NOT NULL,
	"chat_id" text NOT NULL,
	"position" integer NOT NULL,
	"role" text NOT NULL,
	"parts" jsonb NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'complete' NOT NULL,
	"finish_reason" text,
	"usage" jsonb,
	"error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_pkey" PRIMARY KEY("owner_id","id"),
	CONSTRAINT "messages_role_check" CHECK ("messages"."role" in ('user', 'assistant')),
	CONSTRAINT "messages_status_check" CHECK ("messages"."status" in ('complete', 'stopped', 'error'))
);
--> statement-breakpoint
ALTER TABLE "message_files" ADD CONSTRAINT "message_files_message_fk" FOREIGN KEY ("owner_id","message_id") REFERENCES "public"."messages"("owner_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_files" ADD CONSTRAINT "message_files_file_fk" FOREIGN KEY ("owner_id","file_id") REFERENCES "public"."files"("owner_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_chat_fk" FOREIGN KEY ("owner_id","chat_id") REFERENCES "public"."chats"("owner_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chats_owner_updated_idx" ON "chats" USING btree ("owner_id","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "chats_title_trgm_idx" ON "chats" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "files_owner_sha256_idx" ON "files" USING btree ("owner_id","sha256");--> statement-breakpoint
CREATE INDEX "message_files_file_idx" ON "message_files" USING btree ("owner_id","file_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_chat_position_idx" ON "messages" USING btree ("owner_id","chat_id","position");--> statement-breakpoint
CREATE INDEX "messages_text_trgm_idx" ON "messages" USING gin ("text" gin_trgm_ops);