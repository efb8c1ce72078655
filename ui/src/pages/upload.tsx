import { useState } from 'preact/hooks';
import { ART, type ApiRefusal, encodePath, headersFor, refusalOf } from '../api.ts';
import { fileChecksums } from '../checksums.ts';
import type { Session } from '../session.ts';
import { Refusal } from '../widgets.tsx';

type Progress = { phase: 'checksums' | 'upload'; done: number; total: number };

/** PUT with upload progress, which fetch does not report. Resolves on 2xx, rejects with the Edge's refusal. */
function put(url: string, file: File, headers: Record<string, string>, progress: (done: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => progress(event.loaded);
    request.onload = () => (request.status >= 200 && request.status < 300 ? resolve() : reject(refusalOf(request.status, request.responseText)));
    request.onerror = () => reject(refusalOf(0, 'the connection failed'));
    request.send(file);
  });
}

/**
 * Deploys files into the shown folder by drop or picker. Offered on every repository: on any
 * but the uploads repository the Edge refuses, and the refusal is shown as it words it.
 */
export function Upload({ session, repo, folder, onUploaded }: { session: Session; repo: string; folder: string; onUploaded: () => void }) {
  const [progress, setProgress] = useState<Progress>();
  const [refusal, setRefusal] = useState<ApiRefusal>();
  const [done, setDone] = useState<string>();
  const [over, setOver] = useState(false);

  const upload = async (files: FileList | null | undefined) => {
    setRefusal(undefined);
    setDone(undefined);
    for (const file of Array.from(files ?? [])) {
      try {
        setProgress({ phase: 'checksums', done: 0, total: file.size });
        const sums = await fileChecksums(file, (n) => setProgress({ phase: 'checksums', done: n, total: file.size }));
        const target = `${ART}/${encodePath(repo)}/${encodePath(folder ? `${folder}/${file.name}` : file.name)}`;
        const headers = headersFor(session, { 'X-Checksum-Sha256': sums.sha256, 'X-Checksum-Sha1': sums.sha1, 'X-Checksum-Md5': sums.md5 });
        setProgress({ phase: 'upload', done: 0, total: file.size });
        await put(target, file, headers, (n) => setProgress({ phase: 'upload', done: n, total: file.size }));
        setDone(file.name);
      } catch (error) {
        setRefusal(error as ApiRefusal);
        return;
      } finally {
        setProgress(undefined);
      }
    }
    onUploaded();
  };

  return (
    <section class="upload" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload</h2>
      <div
        class={over ? 'drop over' : 'drop'}
        id="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void upload(e.dataTransfer?.files);
        }}
      >
        <label>
          Drop files here or choose them <input type="file" id="upload-input" multiple onChange={(e) => void upload(e.currentTarget.files)} />
        </label>
      </div>
      {progress ? (
        <p>
          <label>
            {progress.phase === 'checksums' ? 'Computing checksums' : 'Uploading'}{' '}
            <progress id="upload-progress" max={progress.total || 1} value={progress.done} />
          </label>
        </p>
      ) : null}
      {done ? (
        <p id="upload-done" role="status">
          Uploaded {done}.
        </p>
      ) : null}
      {refusal ? <Refusal refusal={refusal} /> : null}
    </section>
  );
}
