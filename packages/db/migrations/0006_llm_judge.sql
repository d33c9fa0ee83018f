CREATE TABLE "llm_answers" (
	"claim_key" text NOT NULL,
	"article_key" text NOT NULL,
	"scorer" text NOT NULL,
	"status" text NOT NULL,
	"stance" text,
	"confidence" real,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "llm_answers_claim_key_article_key_scorer_pk" PRIMARY KEY("claim_key","article_key","scorer")
);
--> statement-breakpoint
CREATE TABLE "llm_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"article_id" bigint NOT NULL,
	"prediction_id" text NOT NULL,
	"scorer" text NOT NULL,
	"claim_hash" text NOT NULL,
	"relevance" real NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "judgments" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "llm_queue" ADD CONSTRAINT "llm_queue_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_queue" ADD CONSTRAINT "llm_queue_prediction_id_predictions_id_fk" FOREIGN KEY ("prediction_id") REFERENCES "public"."predictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "llm_queue_key" ON "llm_queue" USING btree ("article_id","prediction_id","scorer","claim_hash");--> statement-breakpoint
CREATE INDEX "llm_queue_work_idx" ON "llm_queue" USING btree ("scorer","status","article_id");