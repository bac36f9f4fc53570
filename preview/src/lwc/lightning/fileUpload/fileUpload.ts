import { LightningElement, api } from "lwc";
import { createRecord } from "lightning/uiRecordApi";
import { getRecordById } from "../../../platform/org";

interface UploadedFile {
  name: string;
  documentId: string;
  contentVersionId: string;
  contentBodyId: string;
  mimeType: string;
}

function base64Of(buffer: ArrayBuffer): string {
  let binary = "";
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i++) {
    binary += String.fromCharCode(bytes[i]);
  }
  return btoa(binary);
}

/**
 * Stand-in for lightning-file-upload: each chosen file becomes a ContentVersion
 * published to `record-id` (which creates its ContentDocument and the link to
 * the record, as in the org), then `uploadfinished` reports them.
 */
export default class FileUpload extends LightningElement {
  @api label = "";
  @api name = "";
  @api accept?: string | string[];
  @api multiple = false;
  @api disabled = false;
  @api recordId = "";
  @api fileFieldName?: string;
  @api fileFieldValue?: string;
  uploading = false;
  error = "";

  get acceptList(): string | undefined {
    return Array.isArray(this.accept) ? this.accept.join(",") : this.accept;
  }

  get isDisabled(): boolean {
    return this.disabled || !this.recordId || this.uploading;
  }

  get hasError(): boolean {
    return this.error !== "";
  }

  async handleFiles(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const chosen = Array.from(input.files ?? []);
    if (chosen.length === 0) {
      return;
    }
    this.uploading = true;
    this.error = "";
    const files: UploadedFile[] = [];
    try {
      for (const file of chosen) {
        const fields: Record<string, unknown> = {
          Title: file.name.replace(/\.[^.]+$/, ""),
          PathOnClient: file.name,
          VersionData: base64Of(await file.arrayBuffer()),
          FirstPublishLocationId: this.recordId
        };
        if (this.fileFieldName) {
          fields[this.fileFieldName] = this.fileFieldValue ?? null;
        }
        const version = await createRecord({
          apiName: "ContentVersion",
          fields
        });
        const stored = getRecordById(version.id);
        const documentId = String(stored?.fields.ContentDocumentId ?? "");
        files.push({
          name: file.name,
          documentId,
          contentVersionId: version.id,
          contentBodyId: "",
          mimeType: file.type
        });
      }
    } catch (error) {
      this.error =
        `Can't upload your file. ${error instanceof Error ? error.message : ""}`.trim();
      return;
    } finally {
      this.uploading = false;
      input.value = "";
    }
    this.dispatchEvent(
      new CustomEvent("uploadfinished", { detail: { files } })
    );
  }
}
