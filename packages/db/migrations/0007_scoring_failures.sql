CREATE TABLE "scoring_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"article_id" bigint NOT NULL,
	"prediction_id" text NOT NULL,
	"scorer" text NOT NULL,
	"claim_hash" text NOT NULL,
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "scoring_failures" ADD CONSTRAINT "scoring_failures_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_failures" ADD CONSTRAINT "scoring_failures_prediction_id_predictions_id_fk" FOREIGN KEY ("prediction_id") REFERENCES "public"."predictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scoring_failures_key" ON "scoring_failures" USING btree ("article_id","prediction_id","scorer","claim_hash");--> statement-breakpoint
CREATE INDEX "scoring_failures_prediction_idx" ON "scoring_failures" USING btree ("prediction_id","created_at");