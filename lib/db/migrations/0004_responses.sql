CREATE TABLE "responses" (
	"owner_id" text NOT NULL,
	"id" text NOT NULL,
	"response" jsonb NOT NULL,
	"input" jsonb NOT NULL,
	"history" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "responses_pkey" PRIMARY KEY("owner_id","id")
);
--> statement-breakpoint
CREATE INDEX "responses_created_idx" ON "responses" USING btree ("created_at");