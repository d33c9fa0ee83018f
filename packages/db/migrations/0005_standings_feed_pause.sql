CREATE TABLE "standings" (
	"prediction_id" text PRIMARY KEY NOT NULL,
	"scorer" text NOT NULL,
	"status" text NOT NULL,
	"record" jsonb NOT NULL,
	"momentum" jsonb NOT NULL,
	"series" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"signposts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_evidence" jsonb,
	"as_of" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "feeds" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "feeds" ADD COLUMN "paused_by" text;--> statement-breakpoint
ALTER TABLE "standings" ADD CONSTRAINT "standings_prediction_id_predictions_id_fk" FOREIGN KEY ("prediction_id") REFERENCES "public"."predictions"("id") ON DELETE cascade ON UPDATE no action;