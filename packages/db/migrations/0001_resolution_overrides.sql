CREATE TABLE "resolution_overrides" (
	"prediction_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"date" text,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resolution_overrides" ADD CONSTRAINT "resolution_overrides_prediction_id_predictions_id_fk" FOREIGN KEY ("prediction_id") REFERENCES "public"."predictions"("id") ON DELETE cascade ON UPDATE no action;